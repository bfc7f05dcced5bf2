package dev.s3music.indexer.sqs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The indexer's meters (Prometheus names):
 * <ul>
 *   <li>{@code s3music_indexer_events_total{outcome}}: S3 key events from SQS, {@code indexed} (applied to the
 *       catalog, a no-op duplicate included) or {@code failed} (the message will come back or go to the DLQ);</li>
 *   <li>{@code s3music_indexer_dead_lettered_total}: messages this indexer moved to the dead-letter queue;</li>
 *   <li>{@code s3music_indexer_dlq_depth}: ApproximateNumberOfMessages of the DLQ (GetQueueAttributes every
 *       {@link SqsIndexerVerticle#GAUGE_POLL} and after each dead-letter; NaN until first read or without a DLQ);</li>
 *   <li>{@code s3music_catalog_songs}: songs in the catalog ({@code Catalog.size()}, same polling, and after
 *       batches that changed it, at most once a second).</li>
 * </ul>
 * One instance per registry ({@link #of}): every poller and verticle instance feeds the same meters.
 */
public final class IndexerMetrics {

    /** Meters that go nowhere: the default of constructors without a registry (and no polling then). */
    public static final MeterRegistry NONE = new CompositeMeterRegistry();
    private static final Map<MeterRegistry, IndexerMetrics> BY_REGISTRY = new WeakHashMap<>();

    final boolean enabled;
    private final Counter indexed;
    private final Counter failed;
    private final Counter deadLettered;
    private final AtomicLong dlqDepth = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong catalogSongs = new AtomicLong(Long.MIN_VALUE);

    public static IndexerMetrics of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, IndexerMetrics::new);
        }
    }

    private IndexerMetrics(MeterRegistry registry) {
        this.enabled = registry != NONE;
        this.indexed = events(registry, "indexed");
        this.failed = events(registry, "failed");
        this.deadLettered = Counter.builder("s3music.indexer.dead.lettered")
            .description("Messages moved to the dead-letter queue by the indexer").register(registry);
        Gauge.builder("s3music.indexer.dlq.depth", dlqDepth, IndexerMetrics::valueOrNaN)
            .description("Messages in the dead-letter queue (approximate)").register(registry);
        Gauge.builder("s3music.catalog.songs", catalogSongs, IndexerMetrics::valueOrNaN)
            .description("Songs in the catalog").register(registry);
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("s3music.indexer.events").tag("outcome", outcome)
            .description("S3 key events processed from SQS").register(registry);
    }

    private static double valueOrNaN(AtomicLong v) {
        long n = v.get();
        return n == Long.MIN_VALUE ? Double.NaN : n;
    }

    void indexed() {
        indexed.increment();
    }

    void failed(int events) {
        failed.increment(events);
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void dlqDepth(long n) {
        dlqDepth.set(n);
    }

    void catalogSongs(long n) {
        catalogSongs.set(n);
    }
}
