package dev.s3music.userdata;

import dev.s3music.model.user.PlayStat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays recorded by this instance and not yet written, per user (folded name). A flush takes a user's pending plays
 * ({@link #take}); they stay visible as in flight until the write is done ({@link #written}) or are put back when it
 * failed ({@link #failed}), so a reader always sees them exactly once (the stored document plus these).
 * Thread-safe: plays arrive on every event loop of the process.
 */
final class PlayBuffer {

    /** One user's plays of one song not yet in the stored document. */
    record Delta(long count, Instant last) {
        Delta plus(Delta o) {
            return new Delta(count + o.count, last.isAfter(o.last) ? last : o.last);
        }
    }

    private static final class UserPlays {
        final String username;
        Map<String, Delta> pending = new HashMap<>();
        Map<String, Delta> inFlight = Map.of();
        long lastFlushMillis = Long.MIN_VALUE;
        long previousFlushMillis = Long.MIN_VALUE;
        boolean removed;

        UserPlays(String username) {
            this.username = username;
        }
    }

    /** What a flush writes for one user. */
    record Batch(String username, Map<String, Delta> plays) {
    }

    private final ConcurrentHashMap<String, UserPlays> users = new ConcurrentHashMap<>();

    void add(String username, String songId, Instant at) {
        while (true) {
            UserPlays u = users.computeIfAbsent(UserKeys.fold(username), k -> new UserPlays(username));
            synchronized (u) {
                if (!u.removed) {
                    u.pending.merge(songId, new Delta(1, at), Delta::plus);
                    return;
                }
            }
        }
    }

    /** This user's plays not yet stored (pending and in flight), by song. */
    Map<String, Delta> unwritten(String username) {
        UserPlays u = users.get(UserKeys.fold(username));
        if (u == null) {
            return Map.of();
        }
        synchronized (u) {
            Map<String, Delta> all = new HashMap<>(u.pending);
            u.inFlight.forEach((k, v) -> all.merge(k, v, Delta::plus));
            return all;
        }
    }

    /**
     * Takes the pending plays of every user whose last flush was at least {@code everyMillis} before {@code now}
     * (all users with {@code everyMillis} 0) and has none in flight; they become in flight.
     */
    List<Batch> take(long nowMillis, long everyMillis) {
        List<Batch> out = new ArrayList<>();
        for (Map.Entry<String, UserPlays> e : users.entrySet()) {
            UserPlays u = e.getValue();
            synchronized (u) {
                if (u.pending.isEmpty() && u.inFlight.isEmpty()
                    && (u.lastFlushMillis == Long.MIN_VALUE || nowMillis - u.lastFlushMillis >= everyMillis)) {
                    // idle for a whole interval: forget the user (the next play may be written at the next tick)
                    u.removed = true;
                    users.remove(e.getKey(), u);
                    continue;
                }
                if (u.pending.isEmpty() || !u.inFlight.isEmpty()
                    || (everyMillis > 0 && u.lastFlushMillis != Long.MIN_VALUE
                        && nowMillis - u.lastFlushMillis < everyMillis)) {
                    continue;
                }
                u.inFlight = u.pending;
                u.pending = new HashMap<>();
                u.previousFlushMillis = u.lastFlushMillis;
                u.lastFlushMillis = nowMillis;
                out.add(new Batch(u.username, Map.copyOf(u.inFlight)));
            }
        }
        return out;
    }

    /** The batch is in the stored document. */
    void written(Batch b) {
        UserPlays u = users.get(UserKeys.fold(b.username()));
        synchronized (u) {
            u.inFlight = Map.of();
        }
    }

    /**
     * The batch could not be written: its plays are pending again, and the next tick tries again (nothing was
     * written, so the interval between two writes is still kept).
     */
    void failed(Batch b) {
        UserPlays u = users.get(UserKeys.fold(b.username()));
        synchronized (u) {
            b.plays().forEach((k, v) -> u.pending.merge(k, v, Delta::plus));
            u.inFlight = Map.of();
            u.lastFlushMillis = u.previousFlushMillis;
        }
    }

    /** Whether plays wait for a write. */
    boolean isEmpty() {
        return users.values().stream().allMatch(u -> {
            synchronized (u) {
                return u.pending.isEmpty() && u.inFlight.isEmpty();
            }
        });
    }

    static PlayStat merge(PlayStat stored, Delta d) {
        if (stored == null) {
            return new PlayStat(d.count(), d.last());
        }
        Instant last = stored.lastPlayed() == null || d.last().isAfter(stored.lastPlayed()) ? d.last() : stored.lastPlayed();
        return new PlayStat(stored.count() + d.count(), last);
    }
}
