package dev.s3music.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the HTTP API.
 *
 * @param host             interface to bind ({@code 0.0.0.0} for all)
 * @param port             TCP port; 0 picks a free one (tests)
 * @param metadataTimeout  how long a catalog answer waits for the metadata reader before saying {@code unavailable}
 * @param readyTimeout     how long {@code /health/ready} waits for each dependency
 * @param eventBusTimeout  send timeout of the requests to the indexer (rescan)
 */
public record ApiConfig(String host, int port, Duration metadataTimeout, Duration readyTimeout,
                        Duration eventBusTimeout) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_EVENT_BUS_TIMEOUT = Duration.ofSeconds(5);

    public ApiConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("HTTP host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("HTTP port must be 0..65535: " + port);
        }
        requirePositive(metadataTimeout, "metadata timeout");
        requirePositive(readyTimeout, "ready timeout");
        requirePositive(eventBusTimeout, "event-bus timeout");
    }

    /** Host and port, default timeouts. */
    public static ApiConfig of(String host, int port) {
        return new ApiConfig(host, port, DEFAULT_METADATA_TIMEOUT, DEFAULT_READY_TIMEOUT, DEFAULT_EVENT_BUS_TIMEOUT);
    }

    /** {@code 0.0.0.0:8080}, default timeouts. */
    public static ApiConfig defaults() {
        return of(DEFAULT_HOST, DEFAULT_PORT);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
