package dev.s3music.launcher;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits of the launcher's own thread (never an event loop) for start and stop steps. */
final class Steps {

    /** Bounds each start and stop step; S3Proxy starts in about 1 s, ElasticMQ in about 2 s, a join up to 15 s. */
    static final long STEP_TIMEOUT_SECONDS = 60;

    private Steps() {
    }

    /** Waits for {@code f}; a failure or timeout becomes an IllegalStateException saying {@code what} failed. */
    static <T> T await(Future<T> f, String what) throws Exception {
        try {
            return f.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer within " + STEP_TIMEOUT_SECONDS + " s", e);
        } catch (Exception e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
