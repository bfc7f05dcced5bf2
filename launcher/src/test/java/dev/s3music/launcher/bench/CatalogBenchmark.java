package dev.s3music.launcher.bench;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.catalog.CachedCatalog;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Catalog reads per second through the API on three catalogs: in memory (the embedded default), Redis (redis-server
 * on loopback, as ElastiCache in production), and Redis behind the L1 ({@link CachedCatalog}). Each API runs two
 * HTTP verticle instances; 32 keep-alive connections of a Vert.x client in the same JVM send a mix of
 * {@code GET /api/artists?limit=20}, {@code /api/albums/{id}} and {@code /api/songs/{id}} back to back for a few
 * seconds; rounds alternate between the three. Prints req/s (median of the rounds) and the ratio to memory.
 * <pre>mvn -B -o -pl launcher -am -Dgroups=benchmark -DexcludedGroups=none -Dtest=CatalogBenchmark
 *     -Dsurefire.failIfNoSpecifiedTests=false verify</pre>
 */
@Tag("benchmark")
class CatalogBenchmark {

    private static final int ARTISTS = 50;
    private static final int ALBUMS = 4;
    private static final int SONGS = 10;
    private static final int CONNECTIONS = 32;
    private static final int ROUNDS = 3;
    private static final Duration ROUND = Duration.ofSeconds(4);

    @Test
    void requestsPerSecondOnMemoryRedisAndRedisWithL1(@TempDir Path base) throws Exception {
        Vertx server = Vertx.vertx();
        Vertx load = Vertx.vertx();
        Codecs.registerAll(server.eventBus());
        try (RedisServerProcess redisServer = RedisServerProcess.start();
             EmbeddedS3 s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0)) {
            s3.createBucket("music");
            S3ObjectStore store = S3ObjectStore.create(server, new S3Config("music", "us-east-1", s3.endpoint(), true,
                s3.accessKey(), s3.secretKey()));
            Redis client = Redis.createClient(server, new RedisOptions().setConnectionString(redisServer.uri())
                .setMaxPoolSize(16).setMaxPoolWaiting(10_000));
            InMemoryCatalog memory = new InMemoryCatalog();
            RedisCatalog redis = new RedisCatalog(RedisCommands.of(client, Duration.ofSeconds(2)), "bench:cat:");
            List<String> paths = new ArrayList<>();
            for (int a = 0; a < ARTISTS; a++) {
                for (int b = 0; b < ALBUMS; b++) {
                    for (int s = 0; s < SONGS; s++) {
                        Song song = Song.of(SongKey.parse("Artist " + a + "/Album " + b + "/0" + s + " Song " + s
                            + ".mp3").orElseThrow(), 4_000_000, "etag" + a + b + s, Instant.EPOCH);
                        memory.upsert(song).await();
                        redis.upsert(song).await(20, TimeUnit.SECONDS);
                        if (s == 0) {
                            paths.add("/api/albums/" + song.albumId());
                            paths.add("/api/songs/" + song.id());
                        }
                    }
                }
            }
            paths.add("/api/artists?limit=20");
            paths.add("/api/artists?offset=20&limit=20");
            CachedCatalog l1 = CachedCatalog.create(server, redis, 10_000, null);
            l1.ready().await(20, TimeUnit.SECONDS);

            int memoryPort = deploy(server, memory, store);
            int redisPort = deploy(server, redis, store);
            int l1Port = deploy(server, l1, store);
            HttpClient http = load.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS));
            String[] names = {"memory", "Redis", "Redis + L1"};
            int[] ports = {memoryPort, redisPort, l1Port};
            for (int port : ports) {
                run(http, port, paths, Duration.ofSeconds(2)); // warm-up (JIT, pools, the L1)
            }
            double[][] rates = new double[3][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < 3; i++) {
                    rates[i][r] = run(http, ports[i], paths, ROUND);
                }
            }
            double mem = median(rates[0]);
            System.out.printf(Locale.ROOT, "%nCatalog reads through the API (%d songs, %d connections, 2 HTTP instances, "
                + "%d cores, median of %d rounds of %d s; mix of artists pages, albums and songs)%n",
                ARTISTS * ALBUMS * SONGS, CONNECTIONS, Runtime.getRuntime().availableProcessors(), ROUNDS,
                ROUND.toSeconds());
            for (int i = 0; i < 3; i++) {
                double m = median(rates[i]);
                System.out.printf(Locale.ROOT, "  %-12s %9.0f req/s   %5.2f of memory   rounds %s%n", names[i], m,
                    m / mem, Arrays.toString(Arrays.stream(rates[i]).mapToLong(Math::round).toArray()));
            }
            System.out.printf(Locale.ROOT, "  (target: Redis + L1 at least 0.80 of memory); L1 entries %d%n%n",
                l1.entries());
            http.close().await(20, TimeUnit.SECONDS);
            l1.close();
            store.close();
            client.close();
        } finally {
            load.close().await(20, TimeUnit.SECONDS);
            server.close().await(20, TimeUnit.SECONDS);
        }
    }

    private static int deploy(Vertx vertx, CatalogReader catalog, S3ObjectStore store) throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = new Readiness(Duration.ofSeconds(3), List.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamService streams = new StreamService(catalog, store, registry);
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        int port = freePort();
        ApiConfig bound = ApiConfig.of("127.0.0.1", port);
        vertx.deployVerticle(() -> new HttpApiVerticle(bound, readiness, areas), new DeploymentOptions().setInstances(2))
            .await(20, TimeUnit.SECONDS);
        return port;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Requests per second: CONNECTIONS loops, each sending the next request when the previous answered. */
    private static double run(HttpClient http, int port, List<String> paths, Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Promise<Void> p = Promise.promise();
            loop(http, port, paths, c, end, done, failed, p);
            loops.add(p.future());
        }
        Future.all(loops).await(duration.toSeconds() + 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
        return done.get() / seconds;
    }

    private static void loop(HttpClient http, int port, List<String> paths, int i, long end, AtomicLong done,
                             AtomicLong failed, Promise<Void> finished) {
        if (System.nanoTime() >= end) {
            finished.complete();
            return;
        }
        String path = paths.get(i % paths.size());
        http.request(HttpMethod.GET, port, "127.0.0.1", path)
            .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
            .onComplete(ar -> {
                if (ar.succeeded() && ar.result() == 200) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                loop(http, port, paths, i + CONNECTIONS, end, done, failed, finished);
            });
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
