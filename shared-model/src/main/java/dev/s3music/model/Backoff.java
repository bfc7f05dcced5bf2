package dev.s3music.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one jittered exponential backoff of the code base (STYLE 16: every retry has a bound and jittered backoff;
 * STYLE 33: it had been written three times). Pure: it only computes a pause, callers set their own timer.
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The pause before retry number {@code attempt} (0 for the first retry): the delay {@code base * 2^attempt},
     * capped at {@code max}, then drawn uniformly in its upper half ("equal jitter": never shorter than half the
     * delay, so a crowd of callers spreads out without any of them hammering at once).
     */
    public static long jittered(long baseMillis, long maxMillis, int attempt) {
        long base = Math.max(1, baseMillis);
        long delay = Math.min(Math.max(base, maxMillis), base << Math.min(Math.max(attempt, 0), 30));
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }
}
