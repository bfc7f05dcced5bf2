package dev.s3music.launcher;

import dev.s3music.api.Readiness;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The stop of a process: drain, then close.
 *
 * <p>{@link #drain}: readiness turns 503 and new API requests are refused; requests in flight (streams) get
 * {@code SHUTDOWN_GRACE} to finish. {@link #close}: Vert.x first (verticles stop: HTTP servers close, the indexer
 * releases the messages it holds, the worker stops taking lookups; then the node leaves the cluster), then the
 * clients and embedded services in reverse order of opening. Both block the calling (non Vert.x) thread.
 */
final class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private GracefulStop() {
    }

    /** Readiness 503 and new requests refused, then waits up to {@code grace} for the requests in flight. */
    static void drain(Readiness readiness, Duration grace) {
        readiness.drain();
        long t = System.nanoTime();
        long deadline = t + grace.toNanos();
        int inFlight = readiness.inFlight();
        LOG.info("draining: readiness is 503, new requests are refused; {} in flight, grace {}", inFlight, grace);
        while (readiness.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // the shutdown thread, not an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("drained in {} ms ({} requests still in flight are cut)", Steps.millisSince(t), readiness.inFlight());
    }

    /** Closes Vert.x (when started), then every opened resource, last opened first. */
    static void close(Vertx vertx, Opened opened) {
        long t = System.nanoTime();
        if (vertx != null) {
            try {
                vertx.close().await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("while stopping Vert.x: {}", e.toString());
            }
            LOG.debug("Vert.x closed in {} ms", Steps.millisSince(t));
        }
        opened.closeAll();
        LOG.info("stopped in {} ms", Steps.millisSince(t));
    }
}
