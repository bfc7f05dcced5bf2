package dev.s3music.accounts;

import dev.s3music.model.auth.Principal;
import dev.s3music.model.event.SessionsRevoked;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checked sessions, trusted in-process for at most {@code ttlNanos} (1 s) so the hot path of every request skips the
 * store round trip. Revocation: {@link #drop} on the {@code SessionsRevoked} fact from any instance removes entries
 * at once; the short lifetime bounds what a lost event could leave. A check that read the store while a drop
 * happened does not cache its answer ({@link #epoch}), so a revocation is never undone by a late read.
 */
final class SessionCache {

    private record Entry(Principal principal, long at) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong drops = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;

    SessionCache(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    Principal get(String tokenHash) {
        Entry e = entries.get(tokenHash);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.at > ttlNanos) {
            entries.remove(tokenHash, e);
            return null;
        }
        return e.principal;
    }

    /** Read before asking the store; pass to {@link #put}. */
    long epoch() {
        return drops.get();
    }

    void put(String tokenHash, Principal p, long epoch) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(tokenHash, new Entry(p, System.nanoTime()));
        if (drops.get() != epoch) {
            entries.remove(tokenHash);
        }
    }

    void drop(SessionsRevoked r) {
        drops.incrementAndGet();
        r.tokenHashes().forEach(entries::remove);
        if (r.username() != null) {
            entries.values().removeIf(e -> e.principal.username().equals(r.username()));
        }
    }

    int size() {
        return entries.size();
    }
}
