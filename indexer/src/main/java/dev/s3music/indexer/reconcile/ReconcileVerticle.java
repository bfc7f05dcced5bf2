package dev.s3music.indexer.reconcile;

import dev.s3music.model.Addresses;
import dev.s3music.model.memory.InMemoryReconcileLease;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.CatalogWriter;
import dev.s3music.model.port.ReconcileLease;
import dev.s3music.model.trace.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs reconciles, one at a time for the whole cluster, and answers for them:
 * <ul>
 *   <li>{@link Addresses#RESCAN_START}: takes the {@link ReconcileLease} and starts a reconcile under a new run id;
 *       when a reconcile already runs anywhere, the request joins it: the reply is the running one's status (same
 *       {@code runId}). The body may name a {@code reason} (logged): the SQS indexer asks after a dependency
 *       outage;</li>
 *   <li>{@link Addresses#RESCAN_STATUS}: the shared status, the same from every instance;</li>
 *   <li>a reconcile at start when the catalog is empty, one every {@link ReconcileSchedule#every()}, and pruning of
 *       tombstones older than {@link ReconcileSchedule#tombstoneRetention()}.</li>
 * </ul>
 * Replies are {@link RescanStatus#toJson()} plus {@code runId}. While it runs, the holder renews the lease and
 * publishes its progress every second; a holder that dies stops renewing, its lease expires and its last
 * "running" status reads as failed. A lease the holder cannot reach (Redis down) fails the request with 503.
 */
public final class ReconcileVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileVerticle.class);
    /** Longest {@code reason} a start may carry (it only goes into a log line). */
    private static final int MAX_REASON = 200;
    /** Key states looked at per pruning step: one short script on Redis. */
    static final int PRUNE_STEP = 1000;

    private final Reconciler reconciler;
    private final CatalogReader catalog;
    private final ReconcileLease lease;
    private final ReconcileSchedule schedule;
    /** the run id of the reconcile this instance runs, else null (touched on this verticle's context only) */
    private String runId;
    private boolean pruning;

    /** One instance alone (its own in-memory lease), no timers: tests and single-process setups. */
    public ReconcileVerticle(Reconciler reconciler, CatalogReader catalog, boolean reconcileWhenEmpty) {
        this(reconciler, catalog, new InMemoryReconcileLease(), ReconcileSchedule.onRequest(reconcileWhenEmpty));
    }

    /** @param lease shared by every instance of the cluster (Redis), or by every verticle of one process (memory) */
    public ReconcileVerticle(Reconciler reconciler, CatalogReader catalog, ReconcileLease lease,
                             ReconcileSchedule schedule) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public Future<?> start() {
        MessageConsumer<Object> start = vertx.eventBus().consumer(Addresses.RESCAN_START, m -> {
            // the asking request's id: this line and the reconcile's own lines started from here carry it
            RequestIds.adopt(m);
            if (!validStart(m)) {
                return;
            }
            String reason = m.body() instanceof JsonObject j ? j.getString("reason", "requested") : "requested";
            LOG.info("rescan requested");
            reply(m, request(reason));
        });
        MessageConsumer<Object> status = vertx.eventBus().consumer(Addresses.RESCAN_STATUS, m -> {
            if (noArguments(m)) {
                reply(m, status());
            }
        });
        return Future.all(start.completion(), status.completion()).onSuccess(v -> {
            if (schedule.every() != null) {
                vertx.setPeriodic(schedule.every().toMillis(), t -> scheduled());
            }
            if (schedule.pruneEvery() != null) {
                vertx.setPeriodic(schedule.pruneEvery().toMillis(), t -> prune());
            }
            if (schedule.reconcileWhenEmpty()) {
                catalog.size().onSuccess(n -> {
                    if (n == 0) {
                        LOG.info("catalog is empty: reconciling");
                        request("catalog empty")
                            .onFailure(e -> LOG.warn("reconcile at start not started: {}", e.toString()));
                    }
                }).onFailure(e -> LOG.warn("cannot size the catalog, no reconcile at start: {}", e.toString()));
            }
        });
    }

    /** These commands take no arguments: anything but null or {} is refused, not ignored (a forged message). */
    private static boolean noArguments(Message<Object> m) {
        if (m.body() == null || (m.body() instanceof JsonObject j && j.isEmpty())) {
            return true;
        }
        LOG.info("malformed {} refused", m.address());
        m.fail(Addresses.RESCAN_FAILURE_INVALID, "expects no arguments (null or {})");
        return false;
    }

    /**
     * A start takes at most a {@code reason} (a short string for the log: the schedule, an outage's end); anything
     * else is refused, not ignored (a forged message).
     */
    private static boolean validStart(Message<Object> m) {
        if (m.body() instanceof JsonObject j && j.fieldNames().equals(java.util.Set.of("reason"))
            && j.getValue("reason") instanceof String r && r.length() <= MAX_REASON) {
            return true;
        }
        return noArguments(m);
    }

    private static void reply(Message<Object> m, Future<JsonObject> answer) {
        answer.onComplete(ar -> {
            if (ar.succeeded()) {
                m.reply(ar.result());
            } else {
                m.fail(503, "reconcile lease unavailable: " + ar.cause().getMessage());
            }
        });
    }

    /** Starts a reconcile unless one runs anywhere; the status of the one that runs (this one, or the running one). */
    Future<JsonObject> request(String reason) {
        if (runId != null) {
            return Future.succeededFuture(localStatus());
        }
        String id = UUID.randomUUID().toString();
        Duration ttl = schedule.leaseTtl();
        return lease.acquire(id, ttl).compose(got -> {
            if (!got || runId != null) {
                if (got) {
                    lease.release(id);
                }
                return status();
            }
            return Future.succeededFuture(runLocally(id, reason, ttl));
        });
    }

    private JsonObject runLocally(String id, String reason, Duration ttl) {
        runId = id;
        LOG.info("reconcile {} starting ({})", id, reason);
        Future<RescanStatus> run = reconciler.run();
        long tick = Math.max(50, Math.min(1000, ttl.toMillis() / 3));
        long timer = vertx.setPeriodic(tick, t -> {
            lease.renew(id, ttl)
                .onSuccess(held -> {
                    if (!held) {
                        LOG.warn("reconcile {} lost its lease (expired while unreachable?)", id);
                    }
                })
                .onFailure(e -> LOG.warn("cannot renew the reconcile lease: {}", e.toString()));
            publish(id).onFailure(e -> LOG.debug("cannot publish the reconcile status: {}", e.toString()));
        });
        run.onComplete(ar -> {
            vertx.cancelTimer(timer);
            runId = null;
            JsonObject last = withRunId(reconciler.status(), id);
            // the final status first, then the lease: a reader never sees "no holder" with a stale "running"
            lease.publishStatus(last.encode())
                .onFailure(e -> LOG.warn("cannot publish the reconcile's final status: {}", e.toString()))
                .eventually(() -> lease.release(id)
                    .onFailure(e -> LOG.warn("cannot release the reconcile lease (it expires): {}", e.toString())));
        });
        publish(id);
        return localStatus();
    }

    private Future<Void> publish(String id) {
        return lease.publishStatus(withRunId(reconciler.status(), id).encode());
    }

    private JsonObject localStatus() {
        return withRunId(reconciler.status(), runId);
    }

    private static JsonObject withRunId(RescanStatus s, String id) {
        return s.toJson().put("runId", id);
    }

    /** The shared status; a "running" one whose holder is gone reads as failed. */
    Future<JsonObject> status() {
        if (runId != null) {
            return Future.succeededFuture(localStatus());
        }
        return Future.all(lease.status(), lease.holder()).map(all -> {
            String json = all.resultAt(0);
            String holder = all.resultAt(1);
            JsonObject s = json == null ? withRunId(reconciler.status(), null) : new JsonObject(json);
            if (holder != null && !holder.equals(s.getString("runId"))) {
                // taken a moment ago, its first status not written yet
                return withRunId(RescanStatus.IDLE, holder).put("state", "running");
            }
            if (holder == null && "running".equals(s.getString("state"))) {
                return s.put("state", "failed").put("error", "its instance stopped before it finished");
            }
            return s;
        });
    }

    /** The periodic reconcile; skipped when another instance finished one less than half a period ago. */
    private void scheduled() {
        lease.status().onComplete(ar -> {
            String json = ar.succeeded() ? ar.result() : null;
            String finished = json == null ? null : new JsonObject(json).getString("finishedAt");
            if (finished != null && Duration.between(Instant.parse(finished), Instant.now())
                .compareTo(schedule.every().dividedBy(2)) < 0) {
                LOG.debug("scheduled reconcile skipped: one finished at {}", finished);
                return;
            }
            request("schedule").onFailure(e -> LOG.warn("scheduled reconcile not started: {}", e.toString()));
        });
    }

    /** Prunes tombstones older than the retention, in bounded steps one after another. */
    Future<Long> prune() {
        if (pruning) {
            return Future.succeededFuture(0L);
        }
        pruning = true;
        CatalogWriter writer = reconciler.catalog();
        return writer.clock()
            .compose(now -> pruneFrom(writer, null, now - schedule.tombstoneRetention().toMillis(), 0))
            .onSuccess(n -> {
                if (n > 0) {
                    LOG.info("pruned {} tombstones older than {}", n, schedule.tombstoneRetention());
                }
            })
            .onFailure(e -> LOG.warn("tombstone pruning stopped: {}", e.toString()))
            .onComplete(x -> pruning = false);
    }

    private static Future<Long> pruneFrom(CatalogWriter writer, String cursor, long before, long total) {
        return writer.pruneTombstones(cursor, PRUNE_STEP, before).compose(step -> step.cursor() == null
            ? Future.succeededFuture(total + step.pruned())
            : pruneFrom(writer, step.cursor(), before, total + step.pruned()));
    }
}
