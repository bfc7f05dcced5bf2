package dev.s3music.metadata;

import dev.s3music.model.metadata.Priority;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.metadata.discogs.DiscogsAdapter;
import dev.s3music.metadata.discogs.DiscogsClient;
import dev.s3music.metadata.discogs.PermitGate;
import dev.s3music.model.port.LookupQueue;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.metadata.port.MetadataProvider;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.model.Addresses;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.event.MetadataLookupReply;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.trace.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The metadata worker: answers {@code metadata.lookup} at once (queued, ready or unavailable) and never makes the
 * caller wait on Discogs; hears {@code catalog.song.indexed} and queues warm-up lookups of what is not cached;
 * runs one lookup loop that takes a permit of the cluster-wide budget, then the most urgent job; puts back jobs
 * of dead workers; and refreshes the oldest entries daily behind everything else. Scale with instances: they
 * share the queue and the budget.
 *
 * <pre>
 *  metadata.lookup ─▶ offer(USER) ─▶ reply "queued"     ┌──────────── loop ─────────────┐
 *  song.indexed ───▶ offer(WARM) (if not cached)        │ reserve permit ─▶ take job    │
 *  refresh timer ──▶ offer(REFRESH) oldest entries      │ resolve (cache/S3/Discogs)    │
 *  recover timer ──▶ expired leases back to the queue   │ store ─▶ ack                  │
 *                                                       └───────────────────────────────┘
 * </pre>
 */
public final class DiscogsWorkerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(DiscogsWorkerVerticle.class);

    private final WorkerConfig cfg;
    private final BiFunction<DiscogsWorkerVerticle, PermitGate, MetadataProvider> providerFactory;
    private final RateLimiter limiter;
    private final LookupQueue queue;
    private final MetadataCache cache;
    private final DocumentStore documents;
    private final WorkerMetrics metrics;

    private WorkerPermits permits;
    private LookupService service;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private volatile boolean stopped;
    private long idleTimer = -1;
    private boolean looping;

    /** The production shape: Discogs through the given (shared) web client. */
    public static DiscogsWorkerVerticle discogs(WorkerConfig cfg, WebClient web, RateLimiter limiter, LookupQueue queue,
                                                MetadataCache cache, DocumentStore documents) {
        return discogs(cfg, web, limiter, queue, cache, documents, WorkerMetrics.NONE);
    }

    /** As above, with the meters of {@link WorkerMetrics} in {@code registry}. */
    public static DiscogsWorkerVerticle discogs(WorkerConfig cfg, WebClient web, RateLimiter limiter, LookupQueue queue,
                                                MetadataCache cache, DocumentStore documents, MeterRegistry registry) {
        WorkerMetrics metrics = WorkerMetrics.of(registry);
        return new DiscogsWorkerVerticle(cfg, (self, gate) -> new DiscogsAdapter(
            new DiscogsClient(self.vertx, web, cfg.discogs(), gate, limiter, metrics)), limiter, queue, cache,
            documents, metrics);
    }

    /**
     * @param providerFactory builds this instance's provider around its permit gate (every call takes a permit)
     */
    public DiscogsWorkerVerticle(WorkerConfig cfg,
                                 BiFunction<DiscogsWorkerVerticle, PermitGate, MetadataProvider> providerFactory,
                                 RateLimiter limiter, LookupQueue queue, MetadataCache cache, DocumentStore documents) {
        this(cfg, providerFactory, limiter, queue, cache, documents, WorkerMetrics.of(WorkerMetrics.NONE));
    }

    /** @param metrics lookups answered and queue depth go there (the provider counts its own calls) */
    public DiscogsWorkerVerticle(WorkerConfig cfg,
                                 BiFunction<DiscogsWorkerVerticle, PermitGate, MetadataProvider> providerFactory,
                                 RateLimiter limiter, LookupQueue queue, MetadataCache cache, DocumentStore documents,
                                 WorkerMetrics metrics) {
        this.metrics = metrics;
        this.cfg = cfg;
        this.providerFactory = providerFactory;
        this.limiter = limiter;
        this.queue = queue;
        this.cache = cache;
        this.documents = documents;
    }

    @Override
    public Future<?> start() {
        permits = new WorkerPermits(vertx, limiter, cfg.permitHold(), cfg.maxPermitWait());
        service = new LookupService(providerFactory.apply(this, permits), cache, documents, cfg.cacheTtl(),
            cfg.notFoundTtl(), System::currentTimeMillis);
        MessageConsumer<Object> lookups = vertx.eventBus().consumer(Addresses.METADATA_LOOKUP, this::lookup);
        MessageConsumer<Object> indexed = vertx.eventBus().consumer(Addresses.SONG_INDEXED, this::songIndexed);
        consumers.add(lookups);
        consumers.add(indexed);
        if (!cfg.discogs().hasToken()) {
            LOG.warn("no Discogs token: metadata is unavailable, no lookup will run");
            return Future.all(lookups.completion(), indexed.completion());
        }
        vertx.setPeriodic(cfg.recoverEvery().toMillis(), t -> recover());
        vertx.setPeriodic(cfg.refreshEvery().toMillis(), t -> refresh());
        return Future.all(lookups.completion(), indexed.completion(), queue.recoverExpired().recover(e -> {
            LOG.warn("cannot recover expired leases at start: {}", e.getMessage());
            return Future.succeededFuture(0);
        })).onSuccess(v -> vertx.runOnContext(x -> loop()));
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
    }

    // ---- event bus -----------------------------------------------------------------------------------------

    private void lookup(Message<Object> msg) {
        // the asking request's id: this delivery's log lines carry it (each delivery has its own context)
        RequestIds.adopt(msg);
        Optional<String> problem = msg.body() instanceof MetadataLookup req ? req.problem()
            : Optional.of("expected a MetadataLookup");
        if (problem.isPresent()) {
            metrics.lookup("invalid");
            // nothing of the message in the log line: it may be forged (log injection, amplification)
            LOG.info("malformed lookup refused: {}", problem.get());
            msg.fail(MetadataLookup.FAILURE_INVALID, problem.get());
            return;
        }
        if (!cfg.discogs().hasToken()) {
            metrics.lookup("unavailable");
            msg.reply(new MetadataLookupReply(MetadataLookupReply.Status.UNAVAILABLE));
            return;
        }
        LookupJob job = LookupJob.of((MetadataLookup) msg.body());
        cache.get(job.key())
            .compose(hit -> hit != null ? Future.succeededFuture(MetadataLookupReply.Status.READY)
                : queue.offer(job, Priority.USER).map(o -> MetadataLookupReply.Status.QUEUED))
            .onSuccess(s -> {
                metrics.lookup(s.name().toLowerCase(java.util.Locale.ROOT));
                LOG.info("lookup {}: {}", job.key(), s);
                msg.reply(new MetadataLookupReply(s));
                if (s == MetadataLookupReply.Status.QUEUED) {
                    wake();
                }
            })
            .onFailure(e -> {
                metrics.lookup("failed");
                LOG.warn("cannot queue lookup {}: {}", job.key(), e.getMessage());
                msg.fail(MetadataLookup.FAILURE_QUEUE_DOWN, "lookup queue unavailable");
            });
    }

    /** Warm ahead: the artist, album and song of a new song, each unless cached. Queue failures only log. */
    private void songIndexed(Message<Object> msg) {
        if (!cfg.discogs().hasToken() || !(msg.body() instanceof SongIndexed s)) {
            return;
        }
        // a published fact has no reply to fail: a malformed or forged one is dropped, never acted on
        Optional<String> problem = s.problem();
        if (problem.isPresent()) {
            metrics.lookup("invalid");
            LOG.info("malformed song-indexed fact dropped: {}", problem.get());
            return;
        }
        Optional<SongKey> key = SongKey.parse(s.key());
        List<LookupJob> jobs = new ArrayList<>();
        if (!SongKey.UNKNOWN_ARTIST.equals(s.artistName())) {
            jobs.add(LookupJob.of(MetadataRef.artist(s.artistId(), s.artistName())));
            if (!SongKey.UNKNOWN_ALBUM.equals(s.albumName())) {
                jobs.add(LookupJob.of(MetadataRef.album(s.albumId(), s.artistName(), s.albumName())));
                jobs.add(new LookupJob(new MetadataRef(MetadataRef.Kind.SONG, s.songId(), s.artistName(),
                    s.albumName(), s.title()), key.map(SongKey::track).orElse(null),
                    key.map(SongKey::disc).orElse(null), 0));
            }
        }
        Future<Void> chain = Future.succeededFuture();
        for (LookupJob j : jobs) {
            chain = chain.compose(v -> cache.get(j.key())
                .compose(hit -> hit != null ? Future.succeededFuture() : queue.offer(j, Priority.WARM).mapEmpty()));
        }
        chain.onFailure(e -> LOG.warn("cannot queue warm-up of {}: {}", s.key(), e.getMessage()));
    }

    // ---- the loop ------------------------------------------------------------------------------------------

    private void wake() {
        if (idleTimer >= 0 && vertx.cancelTimer(idleTimer)) {
            idleTimer = -1;
            vertx.runOnContext(v -> loop());
        }
    }

    /** One turn: reserve a permit when there is work, take the most urgent job, resolve it, ack it; repeat. */
    private void loop() {
        if (stopped || looping) {
            return;
        }
        looping = true;
        queue.size()
            .compose(n -> {
                metrics.queueDepth(n);
                if (n == 0) {
                    return Future.succeededFuture(false);
                }
                Future<Void> permit = permits.holdsFreshPermit() ? Future.succeededFuture() : permits.reserve();
                return permit.compose(v -> queue.take(cfg.lease().toMillis())).compose(lease -> {
                    if (lease == null) {
                        permits.drop();
                        return Future.succeededFuture(false);
                    }
                    return process(lease).map(true);
                });
            })
            .onComplete(ar -> {
                looping = false;
                if (stopped) {
                    return;
                }
                if (ar.failed()) {
                    LOG.warn("lookup loop: {}", ar.cause().getMessage());
                    idle(cfg.idlePoll().toMillis());
                } else if (ar.result()) {
                    vertx.runOnContext(v -> loop());
                } else {
                    idle(cfg.idlePoll().toMillis());
                }
            });
    }

    private void idle(long ms) {
        idleTimer = vertx.setTimer(ms, t -> {
            idleTimer = -1;
            loop();
        });
    }

    private Future<Void> process(LookupQueue.Lease lease) {
        LookupJob job = lease.job();
        boolean force = lease.priority() == Priority.REFRESH;
        return service.resolve(job, force).transform(ar -> {
            Future<Void> acked = queue.ack(lease);
            if (ar.succeeded()) {
                LOG.debug("looked up {}: {}", job.key(), ar.result().status());
                return acked;
            }
            Throwable e = ar.cause();
            if (job.attempts() + 1 < cfg.maxAttempts()) {
                LOG.info("lookup {} failed ({}), queued again", job.key(), e.getMessage());
                return acked.compose(v -> queue.offer(job.retried(), lease.priority())).mapEmpty();
            }
            LOG.warn("lookup {} failed {} times, dropped until asked again: {}", job.key(), job.attempts() + 1,
                e.getMessage());
            return acked;
        });
    }

    private void recover() {
        queue.recoverExpired()
            .onSuccess(n -> {
                if (n > 0) {
                    LOG.info("put {} lookups of stopped workers back in the queue", n);
                    wake();
                }
            })
            .onFailure(e -> LOG.warn("recovering leases failed: {}", e.getMessage()));
    }

    /**
     * Queues the oldest entries behind all other work. Every instance runs it; the queue coalesces duplicates.
     */
    Future<Integer> refresh() {
        long before = System.currentTimeMillis() - cfg.refreshAge().toMillis();
        return cache.oldest(before, cfg.refreshBatch()).compose(keys -> {
            Future<Integer> n = Future.succeededFuture(0);
            for (String key : keys) {
                n = n.compose(count -> cache.get(key).compose(e -> {
                    if (e == null || e.job() == null) {
                        return cache.forget(key).map(count);
                    }
                    return queue.offer(e.job(), Priority.REFRESH).map(o -> o == LookupQueue.Offer.QUEUED ? count + 1 : count);
                }));
            }
            return n;
        }).onSuccess(n -> {
            if (n > 0) {
                LOG.info("refresh: {} oldest entries queued", n);
            }
        }).onFailure(e -> LOG.warn("refresh failed: {}", e.getMessage()));
    }
}
