package dev.s3music.model.auth;

import java.time.Instant;

/** An account as the API shows it: never a hash or a secret. */
public record UserView(String username, Role role, boolean disabled, Instant created) {
}
