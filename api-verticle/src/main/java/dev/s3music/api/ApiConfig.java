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
 * @param idleTimeout      a connection with no byte read or written for this long is closed (an idle keep-alive,
 *                         a stalled client); a slow listener whose socket still drains is not idle
 * @param headerTimeout    a connection must deliver a complete request head within this long of opening or of its
 *                         previous response ending, else it is closed (a client trickling partial headers)
 * @param maxStreams       song bodies relayed at once by one {@link StreamService} (each holds an S3 connection);
 *                         more are answered 503 with {@code Retry-After}
 * @param maxStreamsPerUser song bodies relayed at once for one user by one {@link StreamService} (share links count
 *                         under the share's owner); more are answered 429 with {@code Retry-After}
 */
public record ApiConfig(String host, int port, Duration metadataTimeout, Duration readyTimeout,
                        Duration eventBusTimeout, Duration idleTimeout, Duration headerTimeout, int maxStreams,
                        int maxStreamsPerUser) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_EVENT_BUS_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than a player's pause between two ranged requests of one song, short enough to free idle sockets. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A request head is a few hundred bytes: 10 s is generous even on a bad mobile link. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Twice the 1,000 listeners an instance is sized for, so a listener's seek (a new request overlapping the end
     * of the old one) is never refused; the embedded S3 serves up to 1,000
     * at once and queues the rest (see the root README's MAX_STREAMS).
     */
    public static final int DEFAULT_MAX_STREAMS = 2000;
    /**
     * A student with a few tabs or devices, each with a seek overlapping its previous request: 8 covers three
     * players with room; an account shared around a class (or a script) hits it (see the root README).
     */
    public static final int DEFAULT_MAX_STREAMS_PER_USER = 8;

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
        requirePositive(idleTimeout, "idle timeout");
        requirePositive(headerTimeout, "header timeout");
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max streams must be at least 1: " + maxStreams);
        }
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("max streams per user must be at least 1: " + maxStreamsPerUser);
        }
    }

    /** Default idle and header timeouts and stream cap. */
    public ApiConfig(String host, int port, Duration metadataTimeout, Duration readyTimeout, Duration eventBusTimeout) {
        this(host, port, metadataTimeout, readyTimeout, eventBusTimeout, DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_TIMEOUT,
            DEFAULT_MAX_STREAMS, DEFAULT_MAX_STREAMS_PER_USER);
    }

    /** The same with an older argument list: the per-user cap at its default. */
    public ApiConfig(String host, int port, Duration metadataTimeout, Duration readyTimeout, Duration eventBusTimeout,
                     Duration idleTimeout, Duration headerTimeout, int maxStreams) {
        this(host, port, metadataTimeout, readyTimeout, eventBusTimeout, idleTimeout, headerTimeout, maxStreams,
            DEFAULT_MAX_STREAMS_PER_USER);
    }

    /** The same with other connection limits. */
    public ApiConfig withLimits(Duration idle, Duration header, int streams) {
        return new ApiConfig(host, port, metadataTimeout, readyTimeout, eventBusTimeout, idle, header, streams,
            maxStreamsPerUser);
    }

    /** The same with other connection limits and per-user stream cap. */
    public ApiConfig withLimits(Duration idle, Duration header, int streams, int streamsPerUser) {
        return new ApiConfig(host, port, metadataTimeout, readyTimeout, eventBusTimeout, idle, header, streams,
            streamsPerUser);
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
