package dev.s3music.cluster;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waiting on a condition: every wait of the cluster test has a time bound and says what it waited for. */
final class Waits {

    private Waits() {
    }

    /** What a condition reports: whether it holds, and a short state for the failure message. */
    record Check(boolean done, String state) {
        static Check of(boolean done, String state) {
            return new Check(done, state);
        }
    }

    /**
     * Polls {@code condition} every {@code every} until it holds or {@code bound} elapsed; then fails with
     * {@code what} and the last state. An exception from the condition counts as "not yet" (a process still
     * starting refuses connections) and is kept for the message.
     *
     * @return how long it took
     */
    static Duration until(String what, Duration bound, Duration every, Supplier<Check> condition) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        String last = "(never checked)";
        while (true) {
            try {
                Check check = condition.get();
                last = check.state();
                if (check.done()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("waited " + bound.toSeconds() + " s for " + what + "; last state: " + last);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
