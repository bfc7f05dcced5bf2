package dev.s3music.indexer.bench;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.indexer.TestSupport;
import dev.s3music.indexer.TestSupport.Queues;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.indexer.event.S3EventJson;
import dev.s3music.indexer.local.FolderEventsConfig;
import dev.s3music.indexer.local.FolderEventsVerticle;
import dev.s3music.indexer.reconcile.Reconciler;
import dev.s3music.indexer.reconcile.RescanStatus;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import dev.s3music.indexer.sqs.SqsIndexerVerticle;
import dev.s3music.indexer.tags.RangedTagReader;
import dev.s3music.model.Ids;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.port.Catalog;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.waitUntil;

/**
 * Indexer benchmark: prints figures, asserts nothing. All servers on loopback (S3Proxy over a folder, ElasticMQ,
 * redis-server), catalog in Redis.
 *
 * <pre>
 * cd /work/main && mvn -q -B -f indexer/pom.xml test-compile exec:java \
 *   -Dexec.mainClass=dev.s3music.indexer.bench.IndexerBenchmark -Dexec.classpathScope=test
 * </pre>
 * Optional: {@code -Dbench.events=20000 -Dbench.objects=100000 -Dbench.tagged=1000 -Dbench.uploads=200
 * -Dbench.proxyObjects=10000 -Dbench.parts=1234}
 */
public final class IndexerBenchmark {

    static final String BUCKET = "music";
    static final String[] SYLLABLES = {"ka", "lo", "mi", "ra", "sen", "tu", "vel", "dor", "an", "bri", "cé", "zu",
        "ö", "mar", "ne", "quin", "pa", "jo", "el", "fi", "gra", "hu", "is", "wy"};

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 20_000);
        int objects = Integer.getInteger("bench.objects", 100_000);
        int tagged = Integer.getInteger("bench.tagged", 1_000);
        int uploads = Integer.getInteger("bench.uploads", 200);
        int pollers = Integer.getInteger("bench.pollers", 8);
        String parts = System.getProperty("bench.parts", "1234");
        Path base = Files.createTempDirectory("indexer-bench-");
        List<String> report = new ArrayList<>();
        try (EmbeddedS3 s3Server = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
             EmbeddedSqs sqsServer = EmbeddedSqs.start();
             RedisServerProcess redisServer = RedisServerProcess.start()) {
            s3Server.createBucket(BUCKET);
            Vertx vertx = Vertx.vertx();
            Codecs.registerAll(vertx.eventBus());
            SqsAsyncClient sqs = TestSupport.sqsClient(sqsServer.endpoint());
            S3ObjectStore store = S3ObjectStore.create(vertx, S3Config.compatible(BUCKET, s3Server.endpoint(),
                s3Server.accessKey(), s3Server.secretKey()));
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.uri())
                .setMaxPoolSize(16).setMaxPoolWaiting(100_000));
            S3Client s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3Server.accessKey(), s3Server.secretKey())))
                .build();
            var tagWorker = vertx.createSharedWorkerExecutor("indexer-tags", Integer.getInteger("bench.tagThreads", 2));

            // 1. events/s: SQS -> catalog, synthetic events, no tag reading
            if (parts.contains("1")) {
                Catalog catalog = new RedisCatalog(redis, "b1:");
                Queues q = TestSupport.createQueues(sqs, 30, 5);
                Random rnd = new Random(1);
                List<String> bodies = new ArrayList<>(events);
                for (int i = 0; i < events; i++) {
                    bodies.add(S3EventJson.created(BUCKET, key(rnd, i), 1000 + i, String.format("%032x", i), String.format("%016X", i + 1), Instant.now()));
                }
                sendAll(sqs, q.url(), bodies);
                SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE);
                long t0 = System.nanoTime();
                SqsIndexerVerticle v = new SqsIndexerVerticle(sqs, indexer,
                    SqsIndexerConfig.of(q.url(), q.dlqUrl(), BUCKET).withWaitTimeSeconds(1).withPollers(pollers));
                String id = await(vertx.deployVerticle(v));
                waitUntil("events applied", Duration.ofMinutes(5), () -> v.appliedEvents() >= events);
                double secs = (System.nanoTime() - t0) / 1e9;
                await(vertx.undeploy(id));
                report.add(String.format("events indexed (SQS -> Redis catalog, %d synthetic events, %d pollers): %.0f events/s (%.1f s)  [target >= 1000]",
                    events, pollers, events / secs, secs));
            }

            // 2. upload-to-visible latency (tags read), via S3 PUT + notification, and via the folder watcher
            if (parts.contains("2")) {
                Catalog catalog = new RedisCatalog(redis, "b2:");
                Queues q = TestSupport.createQueues(sqs, 30, 5);
                SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog, new RangedTagReader(store, tagWorker, base));
                String id = await(vertx.deployVerticle(new SqsIndexerVerticle(sqs, indexer,
                    SqsIndexerConfig.of(q.url(), q.dlqUrl(), BUCKET).withPollers(2))));
                byte[] mp3 = audio("id3v2.mp3");
                long[] direct = new long[uploads];
                for (int i = 0; i < uploads; i++) {
                    String key = "Latency/Direct/" + i + " song.mp3";
                    long t0 = System.nanoTime();
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(mp3));
                    TestSupport.send(sqs, q.url(), S3EventJson.created(BUCKET, key, mp3.length, null, String.format("%016X", i + 1), Instant.now()));
                    waitVisible(catalog, key);
                    direct[i] = System.nanoTime() - t0;
                }
                String watcher = await(vertx.deployVerticle(new FolderEventsVerticle(sqs,
                    new FolderEventsConfig(base.resolve(BUCKET), BUCKET, q.url(), Duration.ofMillis(250)))));
                int viaFolder = Math.min(uploads, 50);
                long[] folder = new long[viaFolder];
                for (int i = 0; i < viaFolder; i++) {
                    String key = "Latency/Folder/" + i + " song.mp3";
                    long t0 = System.nanoTime();
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(mp3));
                    waitVisible(catalog, key);
                    folder[i] = System.nanoTime() - t0;
                }
                await(vertx.undeploy(watcher));
                await(vertx.undeploy(id));
                report.add(String.format("upload-to-visible, S3 PUT + notification (production path, tags read, %d uploads): p50 %.0f ms, p99 %.0f ms  [target p50 < 1 s]",
                    uploads, pct(direct, 50), pct(direct, 99)));
                report.add(String.format("upload-to-visible, embedded folder watcher at 250 ms (%d uploads): p50 %.0f ms, p99 %.0f ms",
                    viaFolder, pct(folder, 50), pct(folder, 99)));
            }

            // 3. new objects/s with tag reading (SQS events for objects already in the bucket)
            if (parts.contains("3")) {
                Catalog catalog = new RedisCatalog(redis, "b3:");
                Queues q = TestSupport.createQueues(sqs, 60, 5);
                String[] files = {"id3v2.mp3", "tagged.flac", "tagged.ogg", "moov-last.m4a", "tagged.wav", "tagged.opus"};
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < tagged; i++) {
                    String f = files[i % files.length];
                    String key = "Tagged/Album " + (i / 50) + "/" + i + " " + f;
                    Path p = base.resolve(BUCKET).resolve(key);
                    Files.createDirectories(p.getParent());
                    Files.write(p, audio(f));
                    bodies.add(S3EventJson.created(BUCKET, key, Files.size(p), null, "01", Instant.now()));
                }
                sendAll(sqs, q.url(), bodies);
                SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog, new RangedTagReader(store, tagWorker, base));
                SqsIndexerVerticle v = new SqsIndexerVerticle(sqs, indexer, SqsIndexerConfig.of(q.url(), q.dlqUrl(), BUCKET)
                    .withWaitTimeSeconds(1).withPollers(8));
                long t0 = System.nanoTime();
                String id = await(vertx.deployVerticle(v));
                waitUntil("tagged objects indexed", Duration.ofMinutes(5), () -> v.appliedEvents() >= tagged);
                double secs = (System.nanoTime() - t0) / 1e9;
                await(vertx.undeploy(id));
                long withTags = await(catalog.song(Ids.song("Tagged/Album 0/0 id3v2.mp3"))).map(s -> s.tags() != null ? 1L : 0L).orElse(0L);
                report.add(String.format("new objects indexed with tag reading (%d files, 6 formats, ranged GETs): %.0f objects/s (%.1f s, tags present: %s)  [target >= 200]",
                    tagged, tagged / secs, secs, withTags == 1));
            }

            // 4. reconcile of an unchanged bucket of N objects, then search latency at N songs.
            // S3Proxy's filesystem store walks the whole folder tree for every listing page (its first page of a
            // 100,000-file folder takes over 15 s), so the N-object reconcile lists from an in-process store that
            // pages like S3 (our cost alone); a smaller reconcile through S3Proxy shows the real-server path.
            if (parts.contains("4")) {
                Catalog catalog = new RedisCatalog(redis, "b4:");
                Random rnd = new Random(4);
                dev.s3music.indexer.BytesObjectStore listing = new dev.s3music.indexer.BytesObjectStore();
                for (int i = 0; i < objects; i++) {
                    listing.put(key(rnd, i), new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
                }
                Reconciler reconciler = new Reconciler(listing, new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE), 1000, 64);
                RescanStatus fill = await(reconciler.run());
                RescanStatus again = await(reconciler.run());
                report.add(String.format("reconcile, first fill of %d objects into Redis (no tags): %.1f s (%.0f objects/s)",
                    fill.listed(), fill.elapsedMs() / 1e3, fill.listed() * 1000.0 / fill.elapsedMs()));
                report.add(String.format("reconcile of an unchanged %d-object bucket (in-process listing, Redis catalog): %.1f s (added %d, updated %d, removed %d)  [target < 60 s]",
                    again.listed(), again.elapsedMs() / 1e3, again.added(), again.updated(), again.removed()));

                int viaProxy = Integer.getInteger("bench.proxyObjects", 10_000);
                Path bucketDir = base.resolve(BUCKET);
                for (int i = 0; i < viaProxy; i++) {
                    Path p = bucketDir.resolve("Big").resolve(key(rnd, i));
                    Files.createDirectories(p.getParent());
                    Files.write(p, new byte[] {(byte) i});
                }
                Reconciler proxyReconciler = new Reconciler(store, new SongIndexer(vertx.eventBus(),
                    new RedisCatalog(redis, "b5:"), TagSource.NONE), 1000, 64);
                RescanStatus pfill = await(proxyReconciler.run());
                RescanStatus pagain = await(proxyReconciler.run());
                report.add(String.format("reconcile through S3Proxy (filesystem-nio2), unchanged %d-object bucket: %.1f s, of which %.1f s waiting for listing pages (first fill %.1f s, %s)",
                    pagain.listed(), pagain.elapsedMs() / 1e3, pagain.listingMs() / 1e3, pfill.elapsedMs() / 1e3, pagain.state()));

                long songs = await(catalog.size());
                List<String> queries = new ArrayList<>();
                Random qr = new Random(5);
                for (int i = 0; i < 2000; i++) {
                    String w = word(qr);
                    queries.add(switch (i % 4) {
                        case 0 -> w.substring(0, Math.min(2, w.length()));
                        case 1 -> w;
                        case 2 -> w + " " + word(qr).substring(0, 1);
                        default -> word(qr) + " " + w;
                    });
                }
                for (int i = 0; i < 200; i++) {
                    await(catalog.search(queries.get(i), 20)); // warm-up
                }
                long[] lat = new long[queries.size()];
                long hits = 0;
                for (int i = 0; i < queries.size(); i++) {
                    long t0 = System.nanoTime();
                    var r = await(catalog.search(queries.get(i), 20));
                    lat[i] = System.nanoTime() - t0;
                    hits += r.songs().size() + r.albums().size() + r.artists().size();
                }
                report.add(String.format("search at %d songs (%d queries, limit 20, %.1f results/query): p50 %.2f ms, p99 %.2f ms  [target p99 < 20 ms]",
                    songs, queries.size(), hits / (double) queries.size(), pct(lat, 50), pct(lat, 99)));
            }
            s3.close();
            sqs.close();
            await(vertx.close());
        }
        System.out.println();
        System.out.println("=== indexer benchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ===");
        report.forEach(System.out::println);
        System.exit(0);
    }

    static String key(Random rnd, int i) {
        return name(rnd, 2) + " " + (i % 500) + "/" + name(rnd, 2) + " " + (i % 2000) + "/" + String.format("%02d ", i % 20)
            + name(rnd, 3) + " " + i + ".mp3";
    }

    static String name(Random rnd, int words) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                b.append(' ');
            }
            String word = word(rnd);
            b.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return b.toString();
    }

    static String word(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = 2 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            b.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
        }
        return b.toString();
    }

    static void waitVisible(Catalog catalog, String key) {
        String id = Ids.song(key);
        waitUntil("visible " + key, Duration.ofSeconds(30), () -> await(catalog.song(id)).isPresent());
    }

    static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }

    static byte[] audio(String name) throws Exception {
        try (InputStream in = IndexerBenchmark.class.getResourceAsStream("/audio/" + name)) {
            return in.readAllBytes();
        }
    }

    static void sendAll(SqsAsyncClient sqs, String url, List<String> bodies) {
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(bodies.get(i)).build());
            }
            inFlight.add(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)));
            if (inFlight.size() >= 32) {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                inFlight.clear();
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        System.out.printf("(queued %d messages in %.1f s)%n", bodies.size(), (System.nanoTime() - t0) / 1e9);
    }
}
