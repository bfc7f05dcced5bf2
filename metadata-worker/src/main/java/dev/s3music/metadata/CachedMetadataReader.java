package dev.s3music.metadata;

import dev.s3music.model.metadata.LookupJob;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.model.Addresses;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.event.MetadataLookupReply;
import dev.s3music.model.port.MetadataReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.s3music.model.trace.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's {@link MetadataReader}: L1 (Caffeine, in process) -> the shared cache (Redis) -> on a miss, a
 * {@code metadata.lookup} request to the workers with user-facing priority, answering {@code pending} at once.
 * It never waits on Discogs or on the worker's reply; the page is complete on a later request.
 *
 * <p>Only final answers (ready, not_found) enter L1. The shared cache failing answers {@code unavailable}: the
 * page still renders.
 */
public final class CachedMetadataReader implements MetadataReader {

    private static final Logger LOG = LoggerFactory.getLogger(CachedMetadataReader.class);
    private static final Metadata PENDING = new Metadata(Metadata.Status.PENDING, null);

    private final Vertx vertx;
    private final ReaderConfig cfg;
    private final MetadataCache cache;
    private final Cache<String, Metadata> l1;
    /** Refs asked of the worker recently: not asked again before {@code askAgainAfter}. */
    private final Cache<String, Boolean> asked;
    /** Until when the worker's "unavailable" (no token) is trusted, in epoch ms. */
    private volatile long unavailableUntil;
    private final WorkerMetrics metrics;

    public CachedMetadataReader(Vertx vertx, ReaderConfig cfg, MetadataCache cache) {
        this(vertx, cfg, cache, WorkerMetrics.NONE);
    }

    /** @param registry where the cache hit and miss counters go ({@link WorkerMetrics}) */
    public CachedMetadataReader(Vertx vertx, ReaderConfig cfg, MetadataCache cache, MeterRegistry registry) {
        this.metrics = WorkerMetrics.of(registry);
        this.vertx = vertx;
        this.cfg = cfg;
        this.cache = cache;
        this.l1 = Caffeine.newBuilder().maximumSize(cfg.l1MaxEntries()).expireAfterWrite(cfg.l1Ttl()).build();
        this.asked = Caffeine.newBuilder().maximumSize(Math.max(1000, cfg.l1MaxEntries()))
            .expireAfterWrite(cfg.askAgainAfter()).build();
    }

    @Override
    public Future<Metadata> metadata(MetadataRef ref) {
        if (!cfg.enabled() || System.currentTimeMillis() < unavailableUntil) {
            return Future.succeededFuture(Metadata.unavailable());
        }
        String key = LookupJob.key(ref);
        Metadata hit = l1.getIfPresent(key);
        metrics.cache("l1", hit != null);
        if (hit != null) {
            return Future.succeededFuture(hit);
        }
        return cache.get(key).map(entry -> {
            metrics.cache("shared", entry != null);
            if (entry != null) {
                Metadata m = entry.toMetadata();
                l1.put(key, m);
                return m;
            }
            ask(ref, key);
            return PENDING;
        }).recover(e -> {
            LOG.warn("metadata cache unavailable: {}", e.getMessage());
            return Future.succeededFuture(Metadata.unavailable());
        });
    }

    /** Fire and forget: the reply only tells whether metadata is unavailable altogether. */
    private void ask(MetadataRef ref, String key) {
        if (asked.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        vertx.eventBus().<MetadataLookupReply>request(Addresses.METADATA_LOOKUP, MetadataLookup.of(ref),
                // the request id of the page that asked goes along to the worker's log lines
                RequestIds.deliveryOptions().setSendTimeout(cfg.lookupTimeout().toMillis()))
            .onSuccess(reply -> {
                if (reply.body().status() == MetadataLookupReply.Status.UNAVAILABLE) {
                    unavailableUntil = System.currentTimeMillis() + cfg.askAgainAfter().toMillis();
                }
            })
            .onFailure(e -> {
                asked.invalidate(key); // ask again on the next request
                LOG.debug("metadata lookup of {} not queued: {}", key, e.getMessage());
            });
    }

    /** Drops everything from L1 (tests, or after an operator flush). */
    public void invalidateAll() {
        l1.invalidateAll();
    }
}
