package dev.s3music.metadata;

import dev.s3music.metadata.discogs.DiscogsConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * The metadata worker's settings, parsed from the environment by the composition root.
 *
 * @param discogs      how to reach Discogs; without a token the worker answers {@code unavailable} and calls nothing
 * @param cacheTtl     time to live of ready entries in Redis ({@code CACHE_TTL})
 * @param notFoundTtl  time to live of not-found entries: shorter, Discogs grows
 * @param lease        how long a taken job stays owned before another worker may take it again (covers the
 *                     permit waits and retries of one lookup)
 * @param idlePoll     how often an idle worker looks at the queue
 * @param recoverEvery how often expired leases are put back in the queue
 * @param refreshEvery how often the refresh runs (daily)
 * @param refreshAge   entries fetched longer ago than this are refreshed, oldest first
 * @param refreshBatch at most this many refresh lookups per run: the share of the budget left to refresh
 *                     (they queue behind user and warm-up lookups anyway)
 * @param maxAttempts  lookups failing transiently are retried this many times in all, then dropped until asked
 *                     again
 * @param permitHold   how long a permit taken before choosing a job may wait for its call; must stay below the
 *                     limiter's margin so calls never bunch up beyond the budget
 * @param maxPermitWait how long one call may wait for a permit before the lookup fails as rate limited
 */
public record WorkerConfig(DiscogsConfig discogs, Duration cacheTtl, Duration notFoundTtl, Duration lease,
                           Duration idlePoll, Duration recoverEvery, Duration refreshEvery, Duration refreshAge,
                           int refreshBatch, int maxAttempts, Duration permitHold, Duration maxPermitWait) {

    public WorkerConfig {
        Objects.requireNonNull(discogs, "discogs");
        requirePositive(cacheTtl, "cacheTtl");
        requirePositive(notFoundTtl, "notFoundTtl");
        requirePositive(lease, "lease");
        requirePositive(idlePoll, "idlePoll");
        requirePositive(recoverEvery, "recoverEvery");
        requirePositive(refreshEvery, "refreshEvery");
        requirePositive(refreshAge, "refreshAge");
        requirePositive(maxPermitWait, "maxPermitWait");
        Objects.requireNonNull(permitHold, "permitHold");
        if (refreshBatch < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("refreshBatch must be >= 0 and maxAttempts >= 1");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    /**
     * Production defaults for a budget of {@code rate} calls per {@code window}: 30-day entries, 1-day not-found,
     * 5-minute leases, refresh daily of entries older than 7 days, a quarter of a day's budget for refresh.
     */
    public static WorkerConfig defaults(DiscogsConfig discogs, int rate, Duration window, Duration cacheTtl) {
        long perDay = (long) rate * Duration.ofDays(1).toMillis() / Math.max(1, window.toMillis());
        return new WorkerConfig(discogs, cacheTtl, Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofMillis(200),
            Duration.ofSeconds(15), Duration.ofDays(1), Duration.ofDays(7), (int) Math.min(Integer.MAX_VALUE, perDay / 4),
            3, Duration.ofMillis(50), Duration.ofMinutes(3));
    }

    public WorkerConfig withLease(Duration l) {
        return new WorkerConfig(discogs, cacheTtl, notFoundTtl, l, idlePoll, recoverEvery, refreshEvery, refreshAge,
            refreshBatch, maxAttempts, permitHold, maxPermitWait);
    }

    public WorkerConfig withPolling(Duration idle, Duration recover) {
        return new WorkerConfig(discogs, cacheTtl, notFoundTtl, lease, idle, recover, refreshEvery, refreshAge,
            refreshBatch, maxAttempts, permitHold, maxPermitWait);
    }

    public WorkerConfig withRefresh(Duration every, Duration age, int batch) {
        return new WorkerConfig(discogs, cacheTtl, notFoundTtl, lease, idlePoll, recoverEvery, every, age, batch,
            maxAttempts, permitHold, maxPermitWait);
    }

    public WorkerConfig withDiscogs(DiscogsConfig d) {
        return new WorkerConfig(d, cacheTtl, notFoundTtl, lease, idlePoll, recoverEvery, refreshEvery, refreshAge,
            refreshBatch, maxAttempts, permitHold, maxPermitWait);
    }
}
