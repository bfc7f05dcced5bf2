package dev.s3music.launcher;

import dev.s3music.api.Readiness;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.reconcile.ReconcileSchedule;
import dev.s3music.indexer.reconcile.ReconcileVerticle;
import dev.s3music.model.memory.InMemoryReconcileLease;
import dev.s3music.model.port.ReconcileLease;
import dev.s3music.redis.reconcile.RedisReconcileLease;
import dev.s3music.indexer.reconcile.Reconciler;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import dev.s3music.indexer.sqs.SqsIndexerVerticle;
import dev.s3music.indexer.tags.RangedTagReader;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The wiring of {@code ROLE=indexer} (and of the indexer inside {@code ROLE=all}): the tag reader and song indexer
 * on the shared S3 client and catalog, the SQS indexer on the configured queue (or on the embedded one, with the
 * folder watcher feeding it), and the reconcile at start.
 */
final class IndexerRole {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerRole.class);
    /**
     * Long-poll wait on the embedded queue: ElasticMQ's stop waits for the long polls it holds (a cancelled SDK
     * call leaves its request open on the server), so short polls keep the embedded default's stop within seconds.
     */
    static final int EMBEDDED_POLL_SECONDS = 2;

    /** What the indexer started: the reconcile (to wait for), and the queues it consumes (null without SQS). */
    record Started(Reconciler reconciler, String queueUrl, String deadLetterQueueUrl) {
    }

    private IndexerRole() {
    }

    /** @param embedded the embedded stand-ins, empty with a real bucket */
    static Started start(SharedClients shared, Catalog catalog, Optional<EmbeddedStack> embedded) throws Exception {
        LauncherConfig config = shared.config();
        LauncherConfig.Storage storage = config.storage();
        Vertx vertx = shared.vertx();
        Path tagTemp = Files.createTempDirectory("s3music-tags-");
        shared.opened().push(() -> deleteTree(tagTemp));
        RangedTagReader tags = new RangedTagReader(shared.store(), vertx.createSharedWorkerExecutor("indexer-tags", 2),
            tagTemp);
        SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog, tags);
        SqsIndexerConfig defaults = SqsIndexerConfig.of("-", null, storage.bucket());

        Optional<URI> embeddedSqs = embedded.isPresent() ? embedded.get().awaitSqsEndpoint() : Optional.empty();
        SqsAsyncClient sqs = null;
        String queueUrl = null;
        String deadLetterQueueUrl = null;
        if (embeddedSqs.isPresent()) {
            sqs = SqsClients.create(embeddedSqs.get(), storage.region(), true);
            shared.opened().push(sqs);
            SqsClients.Queues queues = SqsClients.createWithDeadLetterQueue(sqs, SqsClients.QUEUE_NAME,
                defaults.maxReceives());
            queueUrl = queues.queueUrl();
            deadLetterQueueUrl = queues.deadLetterQueueUrl();
        } else if (config.sqs().queueUrl().isPresent()) {
            sqs = SqsClients.create(config.sqs().endpoint().orElse(null), storage.region(), false);
            shared.opened().push(sqs);
            queueUrl = config.sqs().queueUrl().get().toString();
            deadLetterQueueUrl = config.sqs().deadLetterQueueUrl().map(URI::toString).orElse(null);
        } else {
            LOG.warn("no SQS_QUEUE_URL: uploads reach the catalog only through a reconcile (at start when the catalog "
                + "is empty, or POST /api/admin/rescan)");
        }
        if (sqs != null) {
            SqsAsyncClient client = sqs;
            String queue = queueUrl;
            shared.checks().add(new Readiness.Check("sqs", queue, () -> Future.fromCompletionStage(
                client.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build()),
                vertx.getOrCreateContext()).mapEmpty()));
            SqsIndexerConfig sqsConfig = new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, storage.bucket(),
                defaults.waitTimeSeconds(), defaults.maxMessages(), defaults.pollers(), defaults.maxReceives(),
                defaults.retryBackoff(), defaults.stopGrace());
            if (embeddedSqs.isPresent()) {
                // short polls keep the embedded default's stop within seconds (see EMBEDDED_POLL_SECONDS). One
                // poller is plenty for one person's uploads; a poll still answers as soon as a message arrives.
                sqsConfig = sqsConfig.withWaitTimeSeconds(EMBEDDED_POLL_SECONDS).withPollers(1);
            }
            Catalog probed = catalog;
            // after an outage, a reconcile follows once both the catalog and the bucket answer again
            Steps.await(vertx.deployVerticle(new SqsIndexerVerticle(client, indexer, sqsConfig,
                shared.observability().registry()).withDependencyProbe(
                    () -> probed.clock().compose(t -> shared.store().check()))), "starting the SQS indexer");
        }
        Reconciler reconciler = new Reconciler(shared.store(), indexer, 1000, 16);
        // one reconcile at a time for the whole cluster: the lease (and the shared status) in Redis when it is shared
        ReconcileLease lease = shared.redis().<ReconcileLease>map(r -> new RedisReconcileLease(r, RedisKeys.RECONCILE))
            .orElseGet(InMemoryReconcileLease::new);
        ReconcileSchedule schedule = ReconcileSchedule.defaults().withEvery(config.reconcileEvery().orElse(null));
        Steps.await(vertx.deployVerticle(new ReconcileVerticle(reconciler, catalog, lease, schedule)),
            "starting the reconcile");
        if (embeddedSqs.isPresent()) {
            // the embedded default: changes of the music folder (copies, uploads through S3Proxy) become S3-shaped
            // notifications on the embedded queue, so the production path runs there too
            Steps.await(embedded.get().watchMusicFolder(vertx, sqs, storage.bucket(), queueUrl),
                "watching the music folder");
        }
        return new Started(reconciler, queueUrl, deadLetterQueueUrl);
    }

    /** Waits (bounded) for the reconcile at start; the launcher's own thread, not an event loop. */
    static void awaitReconcile(Reconciler reconciler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Steps.STEP_TIMEOUT_SECONDS);
        while (reconciler.status().finishedAt() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        LOG.info("reconcile at start: {}", reconciler.status().toJson().encode());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
