package dev.s3music.model.auth;

import java.util.Objects;

/**
 * Who a request is from, once signed in.
 *
 * @param username  the account's name as created (NFC), unique ignoring case
 * @param role      what it may do
 * @param sessionId an opaque id of the session that signed the request in (the hash of its token, never the token),
 *                  or null when the request was signed in otherwise (a Subsonic password or API key)
 */
public record Principal(String username, Role role, String sessionId) {

    public Principal {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
