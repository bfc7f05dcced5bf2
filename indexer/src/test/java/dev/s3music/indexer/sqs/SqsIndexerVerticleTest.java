package dev.s3music.indexer.sqs;

import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.indexer.TestSupport.Queues;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.indexer.event.S3EventJson;
import dev.s3music.model.Addresses;
import dev.s3music.model.DomainException;
import dev.s3music.model.Ids;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.event.SongRemoved;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.createQueues;
import static dev.s3music.indexer.TestSupport.drain;
import static dev.s3music.indexer.TestSupport.send;
import static dev.s3music.indexer.TestSupport.sqsClient;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The SQS consumer against ElasticMQ, with the catalog in a real redis-server. */
class SqsIndexerVerticleTest {

    static final String BUCKET = "music-uploads";
    static final Duration WAIT = Duration.ofSeconds(15);

    static EmbeddedSqs sqsServer;
    /** Where {@link #sqs} points (LocalStackSqsIndexerVerticleTest points it at LocalStack). */
    static URI sqsEndpoint;
    static RedisServerProcess redisServer;
    static SqsAsyncClient sqs;

    Vertx vertx;
    Redis redis;
    Catalog catalog;
    Queues queues;
    final List<Object> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() {
        sqsServer = EmbeddedSqs.start();
        redisServer = RedisServerProcess.start();
        sqsEndpoint = sqsServer.endpoint();
        sqs = sqsClient(sqsEndpoint);
    }

    @AfterAll
    static void stopServers() {
        sqs.close();
        sqsServer.close();
        redisServer.close();
    }

    @BeforeEach
    void setUp() {
        vertx = newVertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.uri()));
        catalog = new RedisCatalog(redis, "t:" + UUID.randomUUID() + ":");
        queues = createQueues(sqs, 1, 3);
        vertx.eventBus().consumer(Addresses.SONG_INDEXED, m -> published.add(m.body()));
        vertx.eventBus().consumer(Addresses.SONG_REMOVED, m -> published.add(m.body()));
    }

    private static Vertx newVertx() {
        Vertx v = Vertx.vertx();
        Codecs.registerAll(v.eventBus());
        return v;
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    private SqsIndexerConfig config() {
        return SqsIndexerConfig.of(queues.url(), queues.dlqUrl(), BUCKET).withWaitTimeSeconds(1).withPollers(2);
    }

    private String deploy(Vertx on, Catalog cat, SqsIndexerConfig cfg) {
        return await(on.deployVerticle(new SqsIndexerVerticle(sqs, new SongIndexer(on.eventBus(), cat, TagSource.NONE), cfg)));
    }

    static String fixture(String name) {
        try (InputStream in = SqsIndexerVerticleTest.class.getResourceAsStream("/s3events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean has(String key) {
        return await(catalog.song(Ids.song(key))).isPresent();
    }

    private static String put(String key, String seq) {
        return S3EventJson.created(BUCKET, key, 1000, "e7a6" + seq, seq, Instant.parse("2024-05-04T12:00:00Z"));
    }

    private static String del(String key, String seq) {
        return S3EventJson.removed(BUCKET, key, seq, Instant.parse("2024-05-04T12:00:00Z"));
    }

    @Test
    void indexesPutsMultipartUploadsAndSnsWrappedEventsAndRemovesOnDelete() {
        deploy(vertx, catalog, config());
        send(sqs, queues.url(), fixture("put.json"));
        send(sqs, queues.url(), fixture("multipart.json"));
        send(sqs, queues.url(), fixture("test_event.json"));
        waitUntil("put and multipart indexed", WAIT,
            () -> has("Björk/Homogenic/01 Hunter.flac") && has("Sigur Rós/Ágætis byrjun/08 Avalon.flac"));
        send(sqs, queues.url(), del("Björk/Homogenic/01 Hunter.flac", "0066362B9C2F1A4E8600"));
        waitUntil("delete applied", WAIT, () -> !has("Björk/Homogenic/01 Hunter.flac"));
        send(sqs, queues.url(), fixture("sns_wrapped_put.json")); // older sequencer than the delete: stays deleted
        send(sqs, queues.url(), put("Nirvana/Nevermind/01 Smells Like Teen Spirit.flac", "0066362D00AA11BB21"));
        send(sqs, queues.url(), fixture("delete.json"));
        waitUntil("queue empty", WAIT, () -> TestSupportBridge.count(queues.url()) == 0);
        assertThat(has("Björk/Homogenic/01 Hunter.flac")).isFalse();
        assertThat(has("Nirvana/Nevermind/01 Smells Like Teen Spirit.flac")).isFalse();
        assertThat(await(catalog.size())).isEqualTo(1);
        assertThat(published).filteredOn(o -> o instanceof SongIndexed).hasSize(3);
        assertThat(published).filteredOn(o -> o instanceof SongRemoved).hasSize(2);
        assertThat(drain(sqs, queues.dlqUrl())).isEmpty();
    }

    @Test
    void deleteMarkerRemovesAndCopyUpserts() {
        deploy(vertx, catalog, config());
        send(sqs, queues.url(), S3EventJson.event(BUCKET, "ObjectCreated:Copy",
            new software.amazon.awssdk.eventnotifications.s3.model.S3Object(S3EventJson.encodeKey("A/B/1 a.mp3"), 5L, "e", null, "01"), Instant.now()));
        waitUntil("copy indexed", WAIT, () -> has("A/B/1 a.mp3"));
        send(sqs, queues.url(), S3EventJson.event(BUCKET, "ObjectRemoved:DeleteMarkerCreated",
            new software.amazon.awssdk.eventnotifications.s3.model.S3Object(S3EventJson.encodeKey("A/B/1 a.mp3"), null, null, "v2", "02"), Instant.now()));
        waitUntil("delete marker applied", WAIT, () -> !has("A/B/1 a.mp3"));
    }

    @Test
    void keysWithSpacesUnicodePlusAndPercentAreDecodedOnce() {
        deploy(vertx, catalog, config());
        List<String> keys = List.of("A B/C D/01 e f.mp3", "Sigur Rós/Ágætis byrjun/ß ✓.flac", "a+b/c+d/1+2.mp3",
            "100%/50% off/%41 x.mp3", "Ce'la/#1 ?/x.ogg");
        for (int i = 0; i < keys.size(); i++) {
            send(sqs, queues.url(), put(keys.get(i), "0" + i));
        }
        waitUntil("all keys indexed", WAIT, () -> keys.stream().allMatch(this::has));
        assertThat(await(catalog.size())).isEqualTo(keys.size());
    }

    @Test
    void outOfOrderEventsEndWithTheNewestBySequencer() {
        deploy(vertx, catalog, config());
        send(sqs, queues.url(), del("A/B/late-put.mp3", "0030"));
        waitUntil("tombstone", WAIT, () -> TestSupportBridge.count(queues.url()) == 0);
        send(sqs, queues.url(), put("A/B/late-put.mp3", "0020"));
        send(sqs, queues.url(), put("A/B/late-delete.mp3", "0040"));
        waitUntil("put applied", WAIT, () -> has("A/B/late-delete.mp3"));
        send(sqs, queues.url(), del("A/B/late-delete.mp3", "0035"));
        waitUntil("queue empty", WAIT, () -> TestSupportBridge.count(queues.url()) == 0);
        assertThat(has("A/B/late-put.mp3")).isFalse();
        assertThat(has("A/B/late-delete.mp3")).isTrue();
    }

    @Test
    void tripleDeliveryIndexesOnceAndPublishesOnce() {
        deploy(vertx, catalog, config());
        for (int i = 0; i < 3; i++) {
            send(sqs, queues.url(), put("A/B/1.mp3", "0A"));
        }
        waitUntil("queue empty", WAIT, () -> TestSupportBridge.count(queues.url()) == 0);
        assertThat(await(catalog.size())).isEqualTo(1);
        waitUntil("published", WAIT, () -> !published.isEmpty());
        assertThat(published).hasSize(1);
    }

    @Test
    void poisonMessagesReachTheDeadLetterQueueWhileGoodMessagesFlow() {
        AtomicInteger failures = new AtomicInteger();
        Catalog failingForOneKey = new DelegatingCatalog(catalog, key -> {
            if (key.equals("A/B/always-fails.mp3")) {
                failures.incrementAndGet();
                return Future.failedFuture(new IllegalStateException("injected: this song can never be written"));
            }
            return Future.succeededFuture();
        });
        deploy(vertx, failingForOneKey, config());
        send(sqs, queues.url(), "not json at all");
        send(sqs, queues.url(), put("A/B/%zz.mp3", "01").replace("A/B/%25zz.mp3", "A/B/%zz.mp3"));
        send(sqs, queues.url(), put("A/B/always-fails.mp3", "01"));
        for (int i = 0; i < 10; i++) {
            send(sqs, queues.url(), put("A/B/good " + i + ".mp3", "01"));
        }
        waitUntil("good messages indexed", WAIT, () -> await(catalog.size()) == 10);
        List<Message> dead = new ArrayList<>();
        waitUntil("three messages dead-lettered", WAIT, () -> {
            dead.addAll(drain(sqs, queues.dlqUrl()));
            return dead.size() >= 3;
        });
        assertThat(dead).extracting(Message::body).anyMatch(b -> b.equals("not json at all"))
            .anyMatch(b -> b.contains("always-fails"));
        assertThat(failures.get()).isEqualTo(3); // maxReceives
        waitUntil("source queue empty", WAIT, () -> TestSupportBridge.count(queues.url()) == 0);
    }

    @Test
    void aDependencyOutageNeverDeadLettersGoodMessages() {
        Queues q = createQueues(sqs, 1, 4);
        long outageEnd = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        Catalog down = new DelegatingCatalog(catalog, key -> System.nanoTime() < outageEnd
            ? Future.failedFuture(DomainException.transientFailure("redis: connection refused", null))
            : Future.succeededFuture());
        deploy(vertx, down, new SqsIndexerConfig(q.url(), q.dlqUrl(), BUCKET, 1, 10, 1, 2, Duration.ofMillis(400), Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            send(sqs, q.url(), put("A/B/" + i + ".mp3", "01"));
        }
        waitUntil("all indexed after the outage", WAIT, () -> await(catalog.size()) == 5);
        assertThat(drain(sqs, q.dlqUrl())).isEmpty(); // maxReceives 2 would have dead-lettered them otherwise
    }

    /**
     * Issue 9 item 8: an outage long enough for the queue's redrive policy to dead-letter the uploads' messages;
     * when the dependency answers again the indexer asks for a reconcile, which lists them into the catalog.
     */
    @Test
    void uploadsDeadLetteredDuringAnOutageAppearThroughTheReconcileAfterIt() {
        Queues q = createQueues(sqs, 1, 2);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        Catalog flaky = new DelegatingCatalog(catalog, key -> down.get()
            ? Future.failedFuture(DomainException.transientFailure("redis: connection refused", null))
            : Future.succeededFuture());
        dev.s3music.indexer.BytesObjectStore store = new dev.s3music.indexer.BytesObjectStore();
        SongIndexer songIndexer = new SongIndexer(vertx.eventBus(), flaky, TagSource.NONE);
        await(vertx.deployVerticle(new dev.s3music.indexer.reconcile.ReconcileVerticle(
            new dev.s3music.indexer.reconcile.Reconciler(store, songIndexer, 100, 4), flaky, false)));
        SqsIndexerVerticle verticle = new SqsIndexerVerticle(sqs, songIndexer,
            new SqsIndexerConfig(q.url(), q.dlqUrl(), BUCKET, 1, 10, 1, 5, Duration.ofMillis(200), Duration.ofSeconds(1)))
            .withDependencyProbe(() -> down.get() ? Future.failedFuture("still down") : Future.succeededFuture());
        await(vertx.deployVerticle(verticle));
        for (int i = 0; i < 3; i++) {
            store.put("A/B/" + i + ".mp3", new byte[] {(byte) i});
            send(sqs, q.url(), put("A/B/" + i + ".mp3", "01"));
        }
        List<Message> dead = new ArrayList<>();
        waitUntil("the redrive policy dead-lettered the uploads during the outage", Duration.ofSeconds(30), () -> {
            dead.addAll(drain(sqs, q.dlqUrl()));
            return dead.size() == 3;
        });
        assertThat(await(catalog.size())).isZero();
        assertThat(verticle.outagesOver()).isZero();
        down.set(false);
        waitUntil("the reconcile after the outage indexed the uploads", WAIT, () -> await(catalog.size()) == 3);
        assertThat(verticle.outagesOver()).isEqualTo(1);
    }

    @Test
    void redriveMovesDeadLetteredMessagesBackAndTheyAreIndexed() {
        deploy(vertx, catalog, config());
        for (int i = 0; i < 23; i++) {
            send(sqs, queues.dlqUrl(), put("A/R/" + i + ".mp3", "01"));
        }
        io.vertx.core.json.JsonObject depth = await(vertx.eventBus().<io.vertx.core.json.JsonObject>request(
            Addresses.DLQ_STATUS, null)).body();
        assertThat(depth.getLong("messages")).isEqualTo(23);
        long moved = 0;
        for (int i = 0; i < 10 && moved < 23; i++) { // bounded: each request moves what its time budget allows
            io.vertx.core.json.JsonObject r = await(vertx.eventBus().<io.vertx.core.json.JsonObject>request(
                Addresses.DLQ_REDRIVE, null, new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(10_000))).body();
            moved += r.getLong("moved");
        }
        assertThat(moved).isEqualTo(23);
        waitUntil("redriven messages indexed", WAIT, () -> await(catalog.size()) == 23);
        assertThat(drain(sqs, queues.dlqUrl())).isEmpty();
    }

    @Test
    void withoutADeadLetterQueueRedriveAnswers503() {
        deploy(vertx, catalog, new SqsIndexerConfig(queues.url(), null, BUCKET, 1, 10, 1, 3, Duration.ofMillis(100), Duration.ofSeconds(1)));
        Throwable e = vertx.eventBus().request(Addresses.DLQ_REDRIVE, null).toCompletionStage().toCompletableFuture()
            .handle((m, t) -> t).join();
        assertThat(e).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
        assertThat(((io.vertx.core.eventbus.ReplyException) e).failureCode()).isEqualTo(503);
    }

    @Test
    void withoutADeadLetterUrlTheRedrivePolicyMovesPoison() {
        deploy(vertx, catalog, new SqsIndexerConfig(queues.url(), null, BUCKET, 1, 10, 1, 3, Duration.ofMillis(100), Duration.ofSeconds(1)));
        send(sqs, queues.url(), "{\"Records\": 42}");
        List<Message> dead = new ArrayList<>();
        waitUntil("redriven to the DLQ", Duration.ofSeconds(20), () -> {
            dead.addAll(drain(sqs, queues.dlqUrl()));
            return !dead.isEmpty();
        });
        assertThat(dead.get(0).body()).isEqualTo("{\"Records\": 42}");
    }

    @Test
    void gracefulStopMakesUnprocessedMessagesVisibleAtOnce() {
        Queues slowQueues = createQueues(sqs, 60, 5);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Catalog stalled = new DelegatingCatalog(catalog, key -> {
            seen.add(key);
            return Promise.<Void>promise().future(); // never completes
        });
        SqsIndexerConfig cfg = new SqsIndexerConfig(slowQueues.url(), slowQueues.dlqUrl(), BUCKET, 1, 10, 1, 5,
            Duration.ofMillis(100), Duration.ofMillis(300));
        String id = deploy(vertx, stalled, cfg);
        for (int i = 0; i < 5; i++) {
            send(sqs, slowQueues.url(), put("A/B/" + i + ".mp3", "01"));
        }
        waitUntil("messages received", WAIT, () -> !seen.isEmpty());
        long t0 = System.nanoTime();
        await(vertx.undeploy(id));
        List<Message> back = new ArrayList<>();
        waitUntil("messages visible again", Duration.ofSeconds(5), () -> {
            back.addAll(drain(sqs, slowQueues.url()));
            return back.size() == 5;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30)); // not the 60 s timeout
    }

    @Test
    void anIndexerKilledMidBatchLosesNothing() {
        Vertx doomed = newVertx();
        SqsAsyncClient doomedSqs = sqsClient(sqsEndpoint);
        AtomicInteger writes = new AtomicInteger();
        Catalog halfway = new DelegatingCatalog(catalog, key -> writes.incrementAndGet() <= 5
            ? Future.succeededFuture() : Promise.<Void>promise().future());
        await(doomed.deployVerticle(new SqsIndexerVerticle(doomedSqs,
            new SongIndexer(doomed.eventBus(), halfway, TagSource.NONE), config().withPollers(1))));
        for (int i = 0; i < 10; i++) {
            send(sqs, queues.url(), put("A/B/" + i + ".mp3", "01"));
        }
        send(sqs, queues.url(), del("A/B/0.mp3", "02"));
        waitUntil("the doomed indexer is stuck mid-batch", WAIT, () -> writes.get() > 5);
        doomedSqs.close(); // killed: it can neither delete nor release anything any more
        doomed.close();
        deploy(vertx, catalog, config());
        waitUntil("queue empty", Duration.ofSeconds(20), () -> TestSupportBridge.count(queues.url()) == 0);
        for (int i = 1; i < 10; i++) {
            assertThat(has("A/B/" + i + ".mp3")).isTrue();
        }
        assertThat(has("A/B/0.mp3")).isFalse();
        assertThat(await(catalog.size())).isEqualTo(9);
    }

    /** Static access for lambdas. */
    static final class TestSupportBridge {
        static int count(String url) {
            return dev.s3music.indexer.TestSupport.approximateCount(sqs, url);
        }
    }
}
