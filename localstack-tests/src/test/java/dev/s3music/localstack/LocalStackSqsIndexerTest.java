package dev.s3music.localstack;

import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import dev.s3music.indexer.sqs.SqsIndexerVerticle;
import dev.s3music.model.Ids;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQS indexer on LocalStack's own S3 notifications (not hand-made events as in the indexer's
 * SqsIndexerVerticleTest on ElasticMQ): a bucket notifies a queue, objects are put and deleted through the S3 API,
 * and the catalog follows.
 */
@LocalStackTest
class LocalStackSqsIndexerTest {

    private static final String BUCKET = "music-indexer";

    static S3Client s3;
    static SqsClient sqsSync;
    static SqsAsyncClient sqs;
    static String queueUrl;
    static String dlqUrl;
    static Vertx vertx;
    static Catalog catalog;

    @BeforeAll
    static void start() throws Exception {
        s3 = LocalStack.s3();
        sqsSync = LocalStack.sqs();
        queueUrl = LocalStack.createQueue(sqsSync, "indexer-events");
        dlqUrl = LocalStack.createQueue(sqsSync, "indexer-events-dlq");
        LocalStack.bucketNotifyingQueue(s3, sqsSync, BUCKET, queueUrl);
        sqs = SqsAsyncClient.builder().endpointOverride(LocalStack.endpoint()).region(Region.of(LocalStack.region()))
            .credentialsProvider(LocalStack.credentials()).build();
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        catalog = new InMemoryCatalog();
        SqsIndexerConfig config = SqsIndexerConfig.of(queueUrl, dlqUrl, BUCKET).withWaitTimeSeconds(1).withPollers(1);
        vertx.deployVerticle(new SqsIndexerVerticle(sqs, new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE),
            config)).await(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : new AutoCloseable[] {sqs, sqsSync, s3}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static boolean has(String key) {
        return await(catalog.song(Ids.song(key))).isPresent();
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    @Test
    void putsAndDeletesThroughTheS3ApiReachTheCatalogThroughTheBucketsNotifications() throws Exception {
        String hunter = "Björk/Homogenic/01 Hunter.flac";
        String avalon = "Sigur Rós/Ágætis byrjun/08 Avalon + more.mp3";
        s3.putObject(b -> b.bucket(BUCKET).key(hunter), RequestBody.fromBytes(new byte[1000]));
        s3.putObject(b -> b.bucket(BUCKET).key(avalon), RequestBody.fromBytes(new byte[2000]));
        waitUntil("both uploads indexed", () -> has(hunter) && has(avalon));
        assertThat(await(catalog.song(Ids.song(hunter))).orElseThrow().albumName()).isEqualTo("Homogenic");

        s3.deleteObject(b -> b.bucket(BUCKET).key(hunter));
        waitUntil("the delete applied", () -> !has(hunter));
        assertThat(has(avalon)).isTrue();
    }

    static void waitUntil(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
