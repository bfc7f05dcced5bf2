package dev.s3music.metadata;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests, on the test thread (never on an event loop). */
final class Await {

    private Await() {
    }

    static void until(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max + " waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static <T> T result(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The most events in any window of {@code window} that starts at an event (the worst window). */
    static int maxInAnyWindow(List<Long> nanos, Duration window) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int best = 0;
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (j < sorted.size() && sorted.get(j) - sorted.get(i) < window.toNanos()) {
                j++;
            }
            best = Math.max(best, j - i);
        }
        return best;
    }
}
