package dev.s3music.indexer.e2e;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.indexer.TestSupport;
import dev.s3music.indexer.TestSupport.Queues;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.local.FolderEventsConfig;
import dev.s3music.indexer.local.FolderEventsVerticle;
import dev.s3music.indexer.reconcile.ReconcileVerticle;
import dev.s3music.indexer.reconcile.Reconciler;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import dev.s3music.indexer.sqs.SqsIndexerVerticle;
import dev.s3music.indexer.tags.RangedTagReader;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.port.Catalog;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default's whole indexing path on real servers: uploads through S3Proxy (filesystem store) or
 * files copied into its folder -> folder watcher -> ElasticMQ -> SqsIndexerVerticle (tags by ranged GETs) ->
 * Redis catalog; and the reconcile after lost events.
 */
class IndexerEndToEndTest {

    static final String BUCKET = "music";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path base;
    static EmbeddedS3 s3Server;
    static EmbeddedSqs sqsServer;
    static RedisServerProcess redisServer;
    static Vertx vertx;
    static SqsAsyncClient sqs;
    static S3Client s3;
    static S3ObjectStore store;
    static Catalog catalog;
    static Queues queues;
    static String watcherId;

    @BeforeAll
    static void start() throws Exception {
        s3Server = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3Server.createBucket(BUCKET);
        sqsServer = EmbeddedSqs.start();
        redisServer = RedisServerProcess.start();
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        sqs = TestSupport.sqsClient(sqsServer.endpoint());
        s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3Server.accessKey(), s3Server.secretKey())))
            .httpClient(UrlConnectionHttpClient.create()).build();
        store = S3ObjectStore.create(vertx, S3Config.compatible(BUCKET, s3Server.endpoint(), s3Server.accessKey(), s3Server.secretKey()));
        catalog = new RedisCatalog(Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.uri())), "e2e:");
        queues = TestSupport.createQueues(sqs, 5, 3);
        SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog,
            new RangedTagReader(store, vertx.createSharedWorkerExecutor("indexer-tags", 2), base));
        await(vertx.deployVerticle(new SqsIndexerVerticle(sqs, indexer,
            SqsIndexerConfig.of(queues.url(), queues.dlqUrl(), BUCKET).withWaitTimeSeconds(1).withPollers(2))));
        await(vertx.deployVerticle(new ReconcileVerticle(new Reconciler(store, indexer, 100, 8), catalog, false)));
        watcherId = await(vertx.deployVerticle(new FolderEventsVerticle(sqs,
            new FolderEventsConfig(base.resolve(BUCKET), BUCKET, queues.url(), Duration.ofMillis(200)))));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
        s3.close();
        sqs.close();
        s3Server.close();
        sqsServer.close();
        redisServer.close();
    }

    static byte[] audio(String name) {
        try (InputStream in = IndexerEndToEndTest.class.getResourceAsStream("/audio/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Song> song(String key) {
        return await(catalog.song(Ids.song(key)));
    }

    @Test
    void uploadsCopiesMultipartUploadsAndDeletesThroughS3ReachTheCatalogWithTags() {
        String put = "Miles Davis/Kind of Blue/03 Blue in Green.mp3";
        s3.putObject(b -> b.bucket(BUCKET).key(put), RequestBody.fromBytes(audio("id3v2.mp3")));
        waitUntil("put indexed", WAIT, () -> song(put).isPresent());
        assertThat(song(put).orElseThrow().title()).isEqualTo("Blue in Grün"); // from the tags
        assertThat(song(put).orElseThrow().tags().embeddedCover()).isTrue();
        assertThat(song(put).orElseThrow().artistName()).isEqualTo("Miles Davis"); // folders stay the identity

        String multipart = "Sigur Rós/Ágætis byrjun/08 Avalon + Ísland 100%.flac";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(multipart)).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(multipart).uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(audio("tagged.flac"))).eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(multipart).uploadId(uploadId)
            .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        String copy = "Miles Davis/Copies/Blue again.mp3";
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(put).destinationBucket(BUCKET).destinationKey(copy));
        waitUntil("multipart and copy indexed", WAIT, () -> song(multipart).isPresent() && song(copy).isPresent());
        assertThat(song(multipart).orElseThrow().tags().artist()).isEqualTo("Björk");

        s3.deleteObject(b -> b.bucket(BUCKET).key(copy));
        waitUntil("delete applied", WAIT, () -> song(copy).isEmpty());
        assertThat(await(catalog.search("grun", 10)).songs()).extracting(Song::key).containsExactly(put);
    }

    @Test
    void filesCopiedIntoTheMusicFolderAreIndexedAndTheirRemovalToo() throws Exception {
        Path dir = Files.createDirectories(base.resolve(BUCKET).resolve("AAC Artist").resolve("Album"));
        Files.write(dir.resolve("04 moov last.m4a"), audio("moov-last.m4a"));
        Files.write(dir.resolve("cover.png"), audio("cover.png"));
        String key = "AAC Artist/Album/04 moov last.m4a";
        waitUntil("copied file indexed", WAIT, () -> song(key).isPresent()
            && await(catalog.albumArt(Ids.album("AAC Artist", "Album"))).isPresent());
        assertThat(song(key).orElseThrow().title()).isEqualTo("Moov Last");
        Files.delete(dir.resolve("04 moov last.m4a"));
        waitUntil("removed file gone", WAIT, () -> song(key).isEmpty());
    }

    @Test
    void reconcileAfterLostEventsMakesTheCatalogEqualTheListing() throws Exception {
        await(vertx.undeploy(watcherId)); // events are lost from now on
        try {
            Path dir = Files.createDirectories(base.resolve(BUCKET).resolve("Lost").resolve("Events"));
            Files.write(dir.resolve("01 one.ogg"), audio("tagged.ogg"));
            Files.write(dir.resolve("02 two.wav"), audio("tagged.wav"));
            await(catalog.upsert(dev.s3music.model.Song.of(dev.s3music.model.SongKey.parse("Ghost/Album/gone.mp3").orElseThrow(),
                1, "x", java.time.Instant.EPOCH)));
            JsonObject started = await(vertx.eventBus().<JsonObject>request(Addresses.RESCAN_START, null)).body();
            assertThat(started.getString("state")).isEqualTo("running");
            waitUntil("reconcile done", WAIT, () -> "done".equals(
                await(vertx.eventBus().<JsonObject>request(Addresses.RESCAN_STATUS, null)).body().getString("state")));
            List<String> listed = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().forEach(o -> {
                if (dev.s3music.model.SongKey.parse(o.key()).isPresent()) {
                    listed.add(o.key());
                }
            });
            List<String> songs = new ArrayList<>();
            String cursor = null;
            for (int i = 0; i < 100; i++) {
                Catalog.KeyPage p = await(catalog.keys(cursor, 100));
                p.keys().stream().filter(k -> dev.s3music.model.SongKey.parse(k).isPresent()).forEach(songs::add);
                if ((cursor = p.cursor()) == null) {
                    break;
                }
            }
            assertThat(songs).containsExactlyInAnyOrderElementsOf(listed).contains("Lost/Events/01 one.ogg")
                .doesNotContain("Ghost/Album/gone.mp3");
            assertThat(song("Lost/Events/01 one.ogg").orElseThrow().title()).isEqualTo("Avalon");
        } finally {
            watcherId = await(vertx.deployVerticle(new FolderEventsVerticle(sqs,
                new FolderEventsConfig(base.resolve(BUCKET), BUCKET, queues.url(), Duration.ofMillis(200)))));
        }
    }
}
