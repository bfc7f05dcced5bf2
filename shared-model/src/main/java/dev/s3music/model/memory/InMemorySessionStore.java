package dev.s3music.model.memory;

import dev.s3music.model.auth.Session;
import dev.s3music.model.auth.SessionStore;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionStore} in memory, for the embedded default (one instance) and tests. Ended sessions are dropped when
 * read and swept every {@link #SWEEP_EVERY} puts, so the map holds at most the live sessions plus one sweep's worth.
 */
public final class InMemorySessionStore implements SessionStore {

    private static final int SWEEP_EVERY = 1024;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private int puts;

    public InMemorySessionStore() {
        this(Clock.systemUTC());
    }

    public InMemorySessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<Void> put(Session session) {
        sessions.put(session.tokenHash(), session);
        if (++puts % SWEEP_EVERY == 0) {
            Instant now = clock.instant();
            sessions.values().removeIf(s -> s.endedAt(now));
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Session> get(String tokenHash) {
        Session s = sessions.get(tokenHash);
        if (s != null && s.endedAt(clock.instant())) {
            sessions.remove(tokenHash, s);
            s = null;
        }
        return Future.succeededFuture(s);
    }

    @Override
    public Future<Void> touch(String tokenHash, Instant lastSeen, Instant idleExpiresAt) {
        sessions.computeIfPresent(tokenHash, (k, s) -> new Session(s.tokenHash(), s.username(), s.role(), s.created(),
            lastSeen, s.expiresAt(), idleExpiresAt.isAfter(s.expiresAt()) ? s.expiresAt() : idleExpiresAt));
        return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> revoke(String tokenHash) {
        return Future.succeededFuture(sessions.remove(tokenHash) != null);
    }

    @Override
    public Future<List<String>> revokeAll(String username, String keepTokenHash) {
        List<String> removed = new ArrayList<>();
        for (Session s : List.copyOf(sessions.values())) {
            if (s.username().equals(username) && !s.tokenHash().equals(keepTokenHash)
                && sessions.remove(s.tokenHash(), s)) {
                removed.add(s.tokenHash());
            }
        }
        return Future.succeededFuture(removed);
    }
}
