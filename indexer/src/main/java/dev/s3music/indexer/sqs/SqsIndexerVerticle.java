package dev.s3music.indexer.sqs;

import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.event.Decoded;
import dev.s3music.indexer.event.KeyEvent;
import dev.s3music.indexer.event.S3EventDecoder;
import dev.s3music.model.Backoff;
import dev.s3music.model.DomainException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import dev.s3music.model.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Flow 1 (upload -> index): long-polls the S3 notification queue and applies each message to the catalog.
 *
 * <ul>
 *   <li>{@code pollers} receive loops, each: receive up to 10 messages (long poll), apply every message (the
 *       records of one message in order; messages in parallel: the catalog orders writes per key by sequencer),
 *       then delete the messages whose writes succeeded in one batch, checking each entry's result;</li>
 *   <li>a message that fails stays in the queue and comes back after its visibility timeout (writes are
 *       idempotent); after {@code maxReceives} receives it is moved to the dead-letter queue, as the queue's
 *       redrive policy would; an undecodable message is moved at once (it can never succeed); a failure of a
 *       dependency (TRANSIENT: catalog or store down) is never dead-lettered by the indexer, and a batch that
 *       failed whole on one pauses the loop (jittered backoff) so an outage does not burn receive counts; the
 *       redrive policy stays the backstop;</li>
 *   <li>receive failures back off (jittered, bounded) and the loop goes on;</li>
 *   <li>after a dependency outage (a message failed TRANSIENT), a probe ({@link #withDependencyProbe}, by default
 *       the catalog's clock) runs every {@link #OUTAGE_PROBE} until it answers; then a reconcile is requested
 *       ({@link Addresses#RESCAN_START}, reason "dependency outage over"): messages that went to the DLQ through the
 *       redrive policy meanwhile, or expired, are healed by the listing;</li>
 *   <li>{@link Addresses#DLQ_REDRIVE} moves dead-lettered messages back to the queue (receive, batch send, batch
 *       delete: at worst a message is in both queues for a moment, never lost; a duplicate is harmless), for at
 *       most {@link #REDRIVE_BUDGET} per request, and {@link Addresses#DLQ_STATUS} answers the DLQ's depth;</li>
 *   <li>{@code stop()} stops receiving, lets batches in flight finish for up to {@code stopGrace}, and makes
 *       every message it holds unprocessed visible again at once (ChangeMessageVisibility 0).</li>
 * </ul>
 * The SQS client is built by the composition root (its HTTP read timeout above {@code waitTimeSeconds}).
 */
public final class SqsIndexerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(SqsIndexerVerticle.class);

    private final SqsAsyncClient sqs;
    private final SongIndexer indexer;
    private final SqsIndexerConfig config;
    private final S3EventDecoder decoder;

    private volatile boolean running;
    private final Set<CompletableFuture<?>> receives = new HashSet<>();
    /** receipt handles received and not yet deleted nor released (touched on the verticle's context only) */
    private final Map<String, Message> held = new java.util.LinkedHashMap<>();
    private final List<Future<Void>> loops = new ArrayList<>();
    /** batch deletes in flight: stop() waits for them */
    private final Set<Future<Void>> deletes = new HashSet<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    /** How often the DLQ depth and catalog size gauges are refreshed: cheap calls, and gauges need no more. */
    public static final java.time.Duration GAUGE_POLL = java.time.Duration.ofSeconds(30);
    private final IndexerMetrics metrics;
    /** How often a dependency is probed during an outage: a cheap call, and recovery is noticed within it. */
    public static final java.time.Duration OUTAGE_PROBE = java.time.Duration.ofSeconds(2);
    /**
     * Time a redrive request may spend starting batches: under the API's event-bus timeout (5 s by default), so the
     * answer arrives; the admin repeats while {@code remaining} is above 0.
     */
    public static final java.time.Duration REDRIVE_BUDGET = java.time.Duration.ofSeconds(3);
    /** Send timeout of the reconcile request after an outage (the reconciler answers at once). */
    private static final long RECONCILE_REQUEST_TIMEOUT_MS = 30_000;
    private Supplier<Future<?>> probe;
    /** a dependency failed and has not answered since (touched on the verticle's context only) */
    private boolean outage;
    private long probeTimer = -1;
    private final AtomicLong outagesOver = new AtomicLong();
    private long gaugeTimer = -1;
    private long lastCatalogSize;
    private boolean catalogSizePending;

    /**
     * @param sqs     the SQS client (composition root)
     * @param indexer the catalog writer ({@link SongIndexer} over the catalog and the tag reader)
     * @param config  queue, bucket, polling
     */
    public SqsIndexerVerticle(SqsAsyncClient sqs, SongIndexer indexer, SqsIndexerConfig config) {
        this(sqs, indexer, config, IndexerMetrics.NONE);
    }

    /** @param registry where the meters of {@link IndexerMetrics} go (the gauges are polled only with a real one) */
    public SqsIndexerVerticle(SqsAsyncClient sqs, SongIndexer indexer, SqsIndexerConfig config, MeterRegistry registry) {
        this.metrics = IndexerMetrics.of(Objects.requireNonNull(registry, "registry"));
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new S3EventDecoder(config.bucket());
        this.probe = () -> indexer.catalog().clock();
    }

    /**
     * What tells that the dependencies are back after an outage (the composition root adds the store); must fail
     * while one is down. Call before deploying.
     */
    public SqsIndexerVerticle withDependencyProbe(Supplier<Future<?>> probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        return this;
    }

    /** Outages seen to end so far (each followed by a reconcile request). */
    public long outagesOver() {
        return outagesOver.get();
    }

    /** Events applied to the catalog so far (benchmarks, metrics). */
    public long appliedEvents() {
        return applied.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public Future<?> start() {
        running = true;
        for (int i = 0; i < config.pollers(); i++) {
            Promise<Void> done = Promise.promise();
            loops.add(done.future());
            poll(0, done);
        }
        LOG.info("indexing {} (bucket {}) with {} pollers", config.queueUrl(), config.bucket(), config.pollers());
        if (metrics.enabled) {
            refreshGauges();
            gaugeTimer = vertx.setPeriodic(GAUGE_POLL.toMillis(), t -> refreshGauges());
        }
        MessageConsumer<Object> redrive = vertx.eventBus().consumer(Addresses.DLQ_REDRIVE, m -> {
            if (config.deadLetterQueueUrl() == null) {
                m.fail(503, "no dead-letter queue configured (SQS_DLQ_URL)");
                return;
            }
            redrive().onSuccess(m::reply).onFailure(e -> m.fail(503, "redrive failed: " + e.getMessage()));
        });
        MessageConsumer<Object> dlq = vertx.eventBus().consumer(Addresses.DLQ_STATUS, m -> {
            if (config.deadLetterQueueUrl() == null) {
                m.fail(503, "no dead-letter queue configured (SQS_DLQ_URL)");
                return;
            }
            dlqDepth().onSuccess(n -> m.reply(new JsonObject().put("messages", n)))
                .onFailure(e -> m.fail(503, "cannot read the dead-letter queue: " + e.getMessage()));
        });
        return Future.all(redrive.completion(), dlq.completion());
    }

    @Override
    public Future<?> stop() {
        running = false;
        if (gaugeTimer >= 0) {
            vertx.cancelTimer(gaugeTimer);
        }
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        // a pending long poll is abandoned; if it still delivers, poll() releases what it got
        new ArrayList<>(receives).forEach(cf -> cf.cancel(true));
        Promise<Void> grace = Promise.promise();
        long timer = vertx.setTimer(config.stopGrace().toMillis(), t -> grace.tryComplete());
        Future.join(loops).compose(x -> Future.join(new ArrayList<>(deletes))).onComplete(x -> {
            vertx.cancelTimer(timer);
            grace.tryComplete();
        });
        return grace.future().compose(v -> release(new ArrayList<>(held.values())));
    }

    private void poll(int failures, Promise<Void> done) {
        if (!running) {
            done.complete();
            return;
        }
        ReceiveMessageRequest req = ReceiveMessageRequest.builder()
            .queueUrl(config.queueUrl())
            .maxNumberOfMessages(config.maxMessages())
            .waitTimeSeconds(config.waitTimeSeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
            .build();
        CompletableFuture<ReceiveMessageResponse> cf = sqs.receiveMessage(req);
        receives.add(cf);
        Future.fromCompletionStage(cf, context).onComplete(ar -> {
            receives.remove(cf);
            if (ar.failed()) {
                if (!running) {
                    done.complete();
                    return;
                }
                long pause = backoff(failures);
                LOG.warn("receive from {} failed ({}), retrying in {} ms", config.queueUrl(), ar.cause().toString(), pause);
                vertx.setTimer(pause, t -> poll(failures + 1, done));
                return;
            }
            List<Message> messages = ar.result().messages();
            if (!running) {
                release(messages).onComplete(x -> done.complete());
                return;
            }
            messages.forEach(m -> held.put(m.receiptHandle(), m));
            // the next receive starts once the catalog writes are done; the batch delete runs meanwhile
            // (a failed delete only means a redelivery, and writes are idempotent)
            processBatch(messages).onComplete(x -> {
                if (x.succeeded() && x.result()) {
                    // every message of the batch failed on a dependency (catalog or store down): pause before
                    // receiving more, so an outage does not burn receive counts and dead-letter good messages
                    long pause = backoff(failures);
                    LOG.warn("catalog or store unavailable, pausing {} ms before the next receive", pause);
                    vertx.setTimer(pause, t -> poll(failures + 1, done));
                } else {
                    poll(0, done);
                }
            });
        });
    }

    /** A dependency failed: probe it until it answers, then ask for a reconcile. */
    private void dependencyDown() {
        if (outage || !running) {
            return;
        }
        outage = true;
        LOG.warn("a dependency is down: probing every {} ms, a reconcile follows its return", OUTAGE_PROBE.toMillis());
        scheduleProbe();
    }

    private void scheduleProbe() {
        probeTimer = vertx.setTimer(OUTAGE_PROBE.toMillis(), t -> {
            probeTimer = -1;
            if (!running) {
                return;
            }
            probe.get().onComplete(ar -> {
                if (ar.failed()) {
                    scheduleProbe();
                    return;
                }
                requestReconcile();
            });
        });
    }

    private void requestReconcile() {
        JsonObject body = new JsonObject().put("reason", "dependency outage over");
        vertx.eventBus().request(Addresses.RESCAN_START, body, new DeliveryOptions().setSendTimeout(RECONCILE_REQUEST_TIMEOUT_MS))
            .onComplete(ar -> {
                if (ar.succeeded()) {
                    outage = false;
                    outagesOver.incrementAndGet();
                    LOG.info("dependencies are back: reconcile requested, {}", ar.result().body());
                } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
                    outage = false;
                    outagesOver.incrementAndGet();
                    LOG.warn("dependencies are back, but no reconciler listens on {}", Addresses.RESCAN_START);
                } else if (running) {
                    // the lease itself may sit on the dependency that just came back: try again at the next probe
                    LOG.warn("dependencies are back, the reconcile request failed ({}): retrying", ar.cause().toString());
                    scheduleProbe();
                }
            });
    }

    /** Moves DLQ messages back to the queue for at most {@link #REDRIVE_BUDGET}; replies {moved, remaining}. */
    private Future<JsonObject> redrive() {
        long deadline = System.nanoTime() + REDRIVE_BUDGET.toNanos();
        return redriveBatch(deadline, 0).compose(moved -> dlqDepth().map(left -> {
            LOG.info("redrove {} dead-lettered messages to {} ({} remaining)", moved, config.queueUrl(), left);
            return new JsonObject().put("moved", moved).put("remaining", left);
        }));
    }

    private Future<Long> redriveBatch(long deadline, long moved) {
        if (System.nanoTime() - deadline >= 0) {
            return Future.succeededFuture(moved);
        }
        ReceiveMessageRequest req = ReceiveMessageRequest.builder().queueUrl(config.deadLetterQueueUrl())
            .maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(30)
            .messageAttributeNames("All").build();
        return Future.fromCompletionStage(sqs.receiveMessage(req), context).compose(r -> {
            List<Message> got = r.messages();
            if (got.isEmpty()) {
                return Future.succeededFuture(moved);
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < got.size(); i++) {
                // the body as it came (the notification); the DLQ's "reason" attribute stays behind
                entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(got.get(i).body()).build());
            }
            return Future.fromCompletionStage(sqs.sendMessageBatch(SendMessageBatchRequest.builder()
                    .queueUrl(config.queueUrl()).entries(entries).build()), context)
                .compose(sent -> {
                    List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
                    sent.successful().forEach(e -> del.add(DeleteMessageBatchRequestEntry.builder().id(e.id())
                        .receiptHandle(got.get(Integer.parseInt(e.id())).receiptHandle()).build()));
                    sent.failed().forEach(f -> LOG.warn("redrive: send failed {} {}", f.code(), f.message()));
                    if (del.isEmpty()) {
                        return Future.failedFuture(new IllegalStateException("no message could be sent back to the queue"));
                    }
                    return Future.fromCompletionStage(sqs.deleteMessageBatch(DeleteMessageBatchRequest.builder()
                            .queueUrl(config.deadLetterQueueUrl()).entries(del).build()), context)
                        .map(d -> (long) d.successful().size());
                })
                .compose(n -> redriveBatch(deadline, moved + n));
        });
    }

    private Future<Long> dlqDepth() {
        GetQueueAttributesRequest req = GetQueueAttributesRequest.builder().queueUrl(config.deadLetterQueueUrl())
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build();
        return Future.fromCompletionStage(sqs.getQueueAttributes(req), context).map(r -> {
            String n = r.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            return n == null ? 0L : Long.parseLong(n);
        });
    }

    private long backoff(int failures) {
        long base = config.retryBackoff().toMillis();
        return Backoff.jittered(base, base * 16, failures);
    }

    /**
     * Applies every message, then deletes the ones that succeeded. Never fails; true when every message failed
     * on a transient dependency failure.
     */
    private Future<Boolean> processBatch(List<Message> messages) {
        if (messages.isEmpty()) {
            return Future.succeededFuture(false);
        }
        List<Future<Boolean>> outcomes = new ArrayList<>(messages.size());
        for (Message m : messages) {
            outcomes.add(process(m));
        }
        return Future.join(outcomes).transform(x -> {
            List<Message> done = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (outcomes.get(i).succeeded() && outcomes.get(i).result()) {
                    done.add(messages.get(i));
                } else {
                    held.remove(messages.get(i).receiptHandle()); // left to the visibility timeout
                }
            }
            Future<Void> deleted = delete(done);
            deletes.add(deleted);
            deleted.onComplete(d -> deletes.remove(deleted));
            boolean allTransient = outcomes.stream().allMatch(o -> o.failed()
                && DomainException.is(o.cause(), DomainException.Kind.TRANSIENT));
            if (outcomes.stream().anyMatch(o -> o.failed() && DomainException.is(o.cause(), DomainException.Kind.TRANSIENT))) {
                dependencyDown();
            }
            return Future.succeededFuture(allTransient);
        });
    }

    /** True when the message is finished with (applied, skipped or dead-lettered) and may be deleted. */
    private Future<Boolean> process(Message m) {
        Decoded d = decoder.decode(m.body());
        if (d instanceof Decoded.Skip skip) {
            LOG.debug("message {} skipped: {}", m.messageId(), skip.reason());
            return Future.succeededFuture(true);
        }
        if (d instanceof Decoded.Poison poison) {
            LOG.warn("message {} is poison: {}", m.messageId(), poison.reason());
            return deadLetter(m, poison.reason());
        }
        List<KeyEvent> events = ((Decoded.Events) d).events();
        Future<Boolean> chain = Future.succeededFuture(true);
        for (KeyEvent e : events) {
            chain = chain.compose(ok -> indexer.apply(e).map(changed -> {
                applied.incrementAndGet();
                metrics.indexed();
                return true;
            }));
        }
        if (metrics.enabled) {
            chain.onSuccess(ok -> refreshCatalogSize());
        }
        return chain.recover(err -> {
            metrics.failed(1);
            int receives = receiveCount(m);
            if (DomainException.is(err, DomainException.Kind.TRANSIENT)) {
                // a dependency is down, the message is fine: it comes back (the redrive policy is the backstop)
                LOG.warn("message {} failed on a dependency (receive {}), it will come back: {}", m.messageId(), receives, err.toString());
                return Future.failedFuture(err);
            }
            if (receives >= config.maxReceives()) {
                LOG.error("message {} failed {} times, dead-lettering: {}", m.messageId(), receives, err.toString());
                return deadLetter(m, "failed " + receives + " times: " + err);
            }
            LOG.warn("message {} failed (receive {}), it will come back: {}", m.messageId(), receives, err.toString());
            return Future.succeededFuture(false);
        });
    }

    private static int receiveCount(Message m) {
        String n = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return n == null ? 1 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Moves a message to the dead-letter queue (send there, then delete here: at worst it is in both, never
     * lost). Without a DLQ URL the message is left to the queue's redrive policy.
     */
    private Future<Boolean> deadLetter(Message m, String reason) {
        if (config.deadLetterQueueUrl() == null) {
            return Future.succeededFuture(false);
        }
        SendMessageRequest send = SendMessageRequest.builder().queueUrl(config.deadLetterQueueUrl())
            .messageBody(m.body())
            .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String")
                .stringValue(reason.length() > 1000 ? reason.substring(0, 1000) : reason).build()))
            .build();
        return Future.fromCompletionStage(sqs.sendMessage(send), context).map(r -> {
            deadLettered.incrementAndGet();
            metrics.deadLettered();
            if (metrics.enabled) {
                refreshDlqDepth();
            }
            return true;
        }).recover(e -> {
            LOG.warn("cannot dead-letter {}: {}", m.messageId(), e.toString());
            return Future.succeededFuture(false);
        });
    }

    private Future<Void> delete(List<Message> done) {
        if (done.isEmpty()) {
            return Future.succeededFuture();
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                .receiptHandle(done.get(i).receiptHandle()).build());
        }
        DeleteMessageBatchRequest req = DeleteMessageBatchRequest.builder().queueUrl(config.queueUrl()).entries(entries).build();
        return Future.fromCompletionStage(sqs.deleteMessageBatch(req), context).<Void>map(r -> {
            for (BatchResultErrorEntry f : r.failed()) {
                // the message comes back and is applied again: harmless, writes are idempotent
                LOG.warn("delete of message {} failed: {} {}", done.get(Integer.parseInt(f.id())).messageId(), f.code(), f.message());
            }
            return null;
        }).recover(e -> {
            LOG.warn("batch delete failed ({}): {} messages will come back", e.toString(), done.size());
            return Future.succeededFuture();
        }).onComplete(x -> done.forEach(m -> held.remove(m.receiptHandle())));
    }

    private void refreshGauges() {
        refreshDlqDepth();
        refreshCatalogSize();
    }

    private void refreshDlqDepth() {
        if (config.deadLetterQueueUrl() == null) {
            return;
        }
        GetQueueAttributesRequest req = GetQueueAttributesRequest.builder().queueUrl(config.deadLetterQueueUrl())
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build();
        Future.fromCompletionStage(sqs.getQueueAttributes(req), context)
            .onSuccess(r -> {
                String n = r.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                if (n != null) {
                    metrics.dlqDepth(Long.parseLong(n));
                }
            })
            .onFailure(e -> LOG.debug("cannot read the DLQ depth: {}", e.toString()));
    }

    /**
     * At most once a second (a busy indexer applies thousands of events a second); a refresh asked sooner runs
     * when the second is over, so the gauge always ends on the state after the last batch.
     */
    private void refreshCatalogSize() {
        long now = System.currentTimeMillis();
        long wait = 1000 - (now - lastCatalogSize);
        if (wait > 0) {
            if (!catalogSizePending) {
                catalogSizePending = true;
                vertx.setTimer(wait, t -> {
                    catalogSizePending = false;
                    refreshCatalogSize();
                });
            }
            return;
        }
        lastCatalogSize = now;
        indexer.catalog().size()
            .onSuccess(metrics::catalogSongs)
            .onFailure(e -> LOG.debug("cannot size the catalog: {}", e.toString()));
    }

    /** Makes messages visible again at once (graceful stop). */
    private Future<Void> release(List<Message> messages) {
        if (messages.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<?>> calls = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, messages.size()); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(String.valueOf(i))
                    .receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout(0).build());
            }
            calls.add(Future.fromCompletionStage(sqs.changeMessageVisibilityBatch(
                ChangeMessageVisibilityBatchRequest.builder().queueUrl(config.queueUrl()).entries(entries).build()), context));
        }
        LOG.info("released {} unprocessed messages", messages.size());
        return Future.join(calls).<Void>mapEmpty().otherwiseEmpty();
    }
}
