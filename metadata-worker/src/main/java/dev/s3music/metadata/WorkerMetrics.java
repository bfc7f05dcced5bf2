package dev.s3music.metadata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metadata meters (Prometheus names):
 * <ul>
 *   <li>{@code s3music_discogs_calls_total{outcome}}: HTTP calls to Discogs, by outcome {@code ok},
 *       {@code not_found}, {@code rate_limited} (429), {@code server_error} (5xx), {@code refused} (other 4xx:
 *       token), {@code failed} (no answer: timeout, connection);</li>
 *   <li>{@code s3music_discogs_ratelimit_remaining}: the last {@code X-Discogs-Ratelimit-Remaining} Discogs sent
 *       (NaN before the first call);</li>
 *   <li>{@code s3music_metadata_cache_requests_total{layer,result}}: reader look-ups, {@code layer} {@code l1}
 *       (in-process Caffeine) or {@code shared} (Redis), {@code result} {@code hit} or {@code miss}; hit ratio
 *       of a layer = hits / (hits + misses);</li>
 *   <li>{@code s3music_metadata_lookups_total{status}}: {@code metadata.lookup} requests answered by workers
 *       ({@code queued}, {@code ready}, {@code unavailable}, {@code invalid}, {@code failed});</li>
 *   <li>{@code s3music_metadata_queue_depth}: lookups waiting in the shared queue (not in flight), as last seen
 *       by this worker's loop (it asks on every turn and at least every {@code idlePoll}).</li>
 * </ul>
 * One instance per registry ({@link #of}), shared by every verticle instance and the reader.
 */
public final class WorkerMetrics {

    /** Meters that go nowhere: the default of constructors without a registry. */
    public static final MeterRegistry NONE = new CompositeMeterRegistry();
    private static final Map<MeterRegistry, WorkerMetrics> BY_REGISTRY = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final AtomicLong remaining = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong queueDepth = new AtomicLong();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public static WorkerMetrics of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, WorkerMetrics::new);
        }
    }

    private WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("s3music.discogs.ratelimit.remaining", remaining,
                r -> r.get() == Long.MIN_VALUE ? Double.NaN : r.get())
            .description("Calls Discogs last said remain in its window").register(registry);
        Gauge.builder("s3music.metadata.queue.depth", queueDepth, AtomicLong::get)
            .description("Lookups waiting in the shared queue").register(registry);
    }

    public void discogsCall(int status) {
        String outcome = status == 200 ? "ok" : status == 404 ? "not_found" : status == 429 ? "rate_limited"
            : status >= 500 ? "server_error" : status > 0 ? "refused" : "failed";
        counter("s3music.discogs.calls", "outcome", outcome, "HTTP calls to Discogs").increment();
    }

    public void discogsRemaining(int n) {
        remaining.set(n);
    }

    public void cache(String layer, boolean hit) {
        registry.counter("s3music.metadata.cache.requests", "layer", layer, "result", hit ? "hit" : "miss").increment();
    }

    public void lookup(String status) {
        counter("s3music.metadata.lookups", "status", status, "metadata.lookup requests answered").increment();
    }

    public void queueDepth(long n) {
        queueDepth.set(n);
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(name + '|' + value,
            k -> Counter.builder(name).tag(tag, value).description(description).register(registry));
    }
}
