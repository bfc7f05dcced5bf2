package dev.s3music.model.auth;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * Sessions by token hash, shared by every API instance (Redis in production, memory in the embedded default). The
 * store never sees a token. A session is gone once it ended ({@link Session#endsAt()}): adapters expire it then
 * (Redis TTL) and never return it after.
 *
 * <p>Failures: {@code TRANSIENT} when the store cannot be reached.
 */
public interface SessionStore {

    /** Stores a new session. */
    Future<Void> put(Session session);

    /** The session of this token hash, or null when there is none (unknown, revoked or ended). */
    Future<Session> get(String tokenHash);

    /**
     * Records use: {@code lastSeen} and the new idle expiry (capped at the absolute expiry). Does nothing when the
     * session is gone (it is never brought back). Callers touch at most once a minute per session.
     */
    Future<Void> touch(String tokenHash, Instant lastSeen, Instant idleExpiresAt);

    /** Removes one session; true when there was one. */
    Future<Boolean> revoke(String tokenHash);

    /**
     * Removes every session of {@code username} (exact string, as stored in the sessions) except
     * {@code keepTokenHash} (null: keep none); the token hashes removed.
     */
    Future<List<String>> revokeAll(String username, String keepTokenHash);
}
