package dev.s3music.metadata;

import java.time.Duration;

/**
 * The API side's metadata reader.
 *
 * @param enabled         false when no Discogs token is configured: every answer is {@code unavailable}
 * @param l1MaxEntries    size of the in-process L1 cache
 * @param l1Ttl           how long an L1 entry is trusted (a refresh elsewhere shows after at most this)
 * @param lookupTimeout   send timeout of the {@code metadata.lookup} request
 * @param askAgainAfter   a pending ref is asked of the worker at most once per this period
 */
public record ReaderConfig(boolean enabled, long l1MaxEntries, Duration l1Ttl, Duration lookupTimeout,
                           Duration askAgainAfter) {

    public ReaderConfig {
        if (l1MaxEntries < 0) {
            throw new IllegalArgumentException("l1MaxEntries must be >= 0");
        }
        if (l1Ttl.isNegative() || lookupTimeout.isNegative() || lookupTimeout.isZero() || askAgainAfter.isNegative()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    /** 10 000 entries for 1 minute, 2 s lookup timeout, ask again for a pending ref after 10 s. */
    public static ReaderConfig defaults(boolean enabled) {
        return new ReaderConfig(enabled, 10_000, Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
