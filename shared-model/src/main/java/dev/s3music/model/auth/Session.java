package dev.s3music.model.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in session as stored: never the token, only its hash.
 *
 * @param tokenHash     hex SHA-256 of the token (also {@link Principal#sessionId()})
 * @param username      the account's name as stored (NFC, as created); {@link SessionStore#revokeAll} uses this exact
 *                      string
 * @param expiresAt     the absolute expiry: no touch extends it
 * @param idleExpiresAt the idle expiry, pushed forward by {@link SessionStore#touch}, never past {@code expiresAt}
 */
public record Session(String tokenHash, String username, Role role, Instant created, Instant lastSeen,
                      Instant expiresAt, Instant idleExpiresAt) {

    public Session {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
    }

    /** When the session ends if nobody uses it: the sooner of both expiries. */
    public Instant endsAt() {
        return idleExpiresAt.isBefore(expiresAt) ? idleExpiresAt : expiresAt;
    }

    public boolean endedAt(Instant now) {
        return !now.isBefore(endsAt());
    }

    public Principal principal() {
        return new Principal(username, role, tokenHash);
    }
}
