package dev.s3music.cluster;

import java.util.List;

/** Counts events in sliding windows: the Discogs budget holds when no window of {@code window} has more than the rate. */
final class SlidingWindow {

    private SlidingWindow() {
    }

    /** Result: the most events in any window, and when that window started (relative to the first event, ms). */
    record Peak(int count, long startMillis) {
    }

    /**
     * The largest number of events inside any half-open window {@code [t, t + window)}, over every start {@code t}.
     * It is enough to try windows starting at an event (two pointers over the sorted times).
     *
     * @param sortedNanos event times in nanoseconds, ascending
     */
    static Peak busiest(List<Long> sortedNanos, long windowNanos) {
        int best = 0;
        long bestStart = 0;
        int end = 0;
        for (int start = 0; start < sortedNanos.size(); start++) {
            long limit = sortedNanos.get(start) + windowNanos;
            while (end < sortedNanos.size() && sortedNanos.get(end) < limit) {
                end++;
            }
            if (end - start > best) {
                best = end - start;
                bestStart = (sortedNanos.get(start) - sortedNanos.get(0)) / 1_000_000;
            }
        }
        return new Peak(best, bestStart);
    }
}
