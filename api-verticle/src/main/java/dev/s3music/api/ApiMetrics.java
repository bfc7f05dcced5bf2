package dev.s3music.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's domain meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code s3music.streams.active} [{@code s3music_streams_active}]: song bodies being relayed from S3 now;</li>
 *   <li>{@code s3music.stream.bytes} [{@code s3music_stream_bytes_total}]: body bytes handed to the client's
 *       socket, counted per slice as it is sent (so a long stream shows up while it plays);</li>
 *   <li>{@code s3music.stream.errors} [{@code s3music_stream_errors_total}], tag {@code reason}:
 *       {@code s3_open} (S3 could not open the object: outage, timeout), {@code s3_midway} (S3 broke after the
 *       status line went out: the connection is closed), {@code client_left} (the listener went away before the
 *       end: a seek, a skip or a lost phone; expected, counted to spot trouble on the path to clients);</li>
 *   <li>{@code s3music.stream.resumes} [{@code s3music_stream_resumes_total}]: S3 broke midway and the store
 *       reopened the object at the next byte, invisibly to the listener (a stream it could not resume counts as
 *       {@code s3_midway} above).</li>
 *   <li>{@code s3music.stream.refused} [{@code s3music_stream_refused_total}], tag {@code reason=max_streams}:
 *       streams answered 503 + {@code Retry-After} because the instance's cap ({@code MAX_STREAMS}) was reached;
 *       tag {@code reason=per_user}: answered 429 + {@code Retry-After} because the user (or a share link's owner)
 *       had {@code MAX_STREAMS_PER_USER} streams already.</li>
 * </ul>
 * One instance per registry ({@link #of}) is shared by every verticle instance: Micrometer returns the same
 * counters for the same name and tags, but a gauge keeps observing the number it was first given.
 */
public final class ApiMetrics {

    /** Meters that go nowhere: the default of constructors without a registry. */
    static final MeterRegistry NONE = new CompositeMeterRegistry();

    private final AtomicInteger active;
    private final Counter bytes;
    private final Counter s3Open;
    private final Counter s3Midway;
    private final Counter clientLeft;
    private final Counter resumes;
    private final Counter refused;
    private final Counter refusedPerUser;
    private final Counter redirects;

    private static final java.util.Map<MeterRegistry, ApiMetrics> BY_REGISTRY = new java.util.WeakHashMap<>();

    /** The one instance of a registry: a gauge observes the first number it was given, so it must be shared. */
    public static ApiMetrics of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, ApiMetrics::new);
        }
    }

    private ApiMetrics(MeterRegistry registry) {
        this.active = registry.gauge("s3music.streams.active", new AtomicInteger());
        this.bytes = Counter.builder("s3music.stream.bytes").baseUnit("bytes")
            .description("Song body bytes sent to clients").register(registry);
        this.s3Open = error(registry, "s3_open");
        this.s3Midway = error(registry, "s3_midway");
        this.clientLeft = error(registry, "client_left");
        this.resumes = Counter.builder("s3music.stream.resumes")
            .description("Song streams resumed after S3 broke midway").register(registry);
        this.refused = refused(registry, "max_streams");
        this.refusedPerUser = refused(registry, "per_user");
        this.redirects = Counter.builder("s3music.stream.redirects")
            .description("Song GETs answered 302 to a signed link (redirect mode)").register(registry);
    }

    /** One description for both tags: a Prometheus family has one HELP line. */
    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("s3music.stream.refused").tag("reason", reason)
            .description("Song streams refused because a stream cap was reached (503 max_streams, 429 per_user)")
            .register(registry);
    }

    private static Counter error(MeterRegistry registry, String reason) {
        return Counter.builder("s3music.stream.errors").tag("reason", reason)
            .description("Song streams that did not complete").register(registry);
    }

    void streamStarted() {
        active.incrementAndGet();
    }

    void streamEnded() {
        active.decrementAndGet();
    }

    void sent(long n) {
        bytes.increment(n);
    }

    void s3OpenFailed() {
        s3Open.increment();
    }

    void s3BrokeMidway() {
        s3Midway.increment();
    }

    void streamRefused() {
        refused.increment();
    }

    void streamRefusedPerUser() {
        refusedPerUser.increment();
    }

    void clientLeft() {
        clientLeft.increment();
    }

    void redirected() {
        redirects.increment();
    }

    void s3Resumed() {
        resumes.increment();
    }
}
