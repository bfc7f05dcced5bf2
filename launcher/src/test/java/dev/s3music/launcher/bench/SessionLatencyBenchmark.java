package dev.s3music.launcher.bench;

import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.TrustedProxies;

import dev.s3music.accounts.AccountsConfig;
import dev.s3music.accounts.StoredAccountService;
import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a session costs a catalog request: {@code GET /api/artists?limit=20} on the same catalog through a verticle
 * without the auth handler and one with it (the accounts module's {@code StoredAccountService}, in-memory session
 * store as in the embedded default; a checked session is trusted from its 1 s in-process cache), measured in
 * alternating rounds, one client on keep-alive. Prints p50 and p99 of each and the difference.
 * <pre>mvn -q -B -pl launcher -am test -Dgroups=benchmark -DexcludedGroups=none -Dtest=SessionLatencyBenchmark
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class SessionLatencyBenchmark {

    private static final int ROUNDS = 10;
    private static final int PER_ROUND = 1_000;

    @Test
    void catalogLatencyWithAndWithoutASession(@TempDir Path base) throws Exception {
        Vertx vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        try (EmbeddedS3 s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0)) {
            s3.createBucket("music");
            S3ObjectStore store = S3ObjectStore.create(vertx, new S3Config("music", "us-east-1", s3.endpoint(), true, s3.accessKey(), s3.secretKey()));
            InMemoryCatalog catalog = new InMemoryCatalog();
            for (int a = 0; a < 50; a++) {
                for (int s = 0; s < 10; s++) {
                    catalog.upsert(Song.of(SongKey.parse("Artist " + a + "/Album/0" + s + " Song.mp3").orElseThrow(),
                        1000, "etag", Instant.now())).await();
                }
            }
            AccountsConfig config = AccountsConfig.defaults();
            StoredAccountService accounts = new StoredAccountService(vertx, new InMemoryDocumentStore(),
                new InMemorySessionStore(), new InMemoryLoginThrottle(config.throttle()), config);
            accounts.ready().await(20, TimeUnit.SECONDS);
            accounts.bootstrap(Optional.of("admin"), Optional.of("bench-admin-password")).await(20, TimeUnit.SECONDS);
            String token = accounts.login("admin", "bench-admin-password", "127.0.0.1").await(20, TimeUnit.SECONDS).token();

            HttpApiVerticle open = deploy(vertx, catalog, store, null);
            HttpApiVerticle signed = deploy(vertx, catalog, store, accounts);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.actualPort()
                + "/api/artists?limit=20")).build();
            HttpRequest withSession = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + signed.actualPort()
                + "/api/artists?limit=20")).header("Authorization", "Bearer " + token).build();
            measure(http, plain, 2_000);           // warm-up of both paths (JIT)
            measure(http, withSession, 2_000);
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                without.addAll(measure(http, plain, PER_ROUND));
                with.addAll(measure(http, withSession, PER_ROUND));
            }
            double[] a = percentiles(without);
            double[] b = percentiles(with);
            System.out.printf("%nGET /api/artists?limit=20, %d requests each, one keep-alive client (%d cores)%n",
                ROUNDS * PER_ROUND, Runtime.getRuntime().availableProcessors());
            System.out.printf("  without a session  p50 %.3f ms  p99 %.3f ms%n", a[0], a[1]);
            System.out.printf("  with a session     p50 %.3f ms  p99 %.3f ms%n", b[0], b[1]);
            System.out.printf("  added              p50 %.3f ms  p99 %.3f ms (target: under 1 ms at p99)%n%n",
                b[0] - a[0], b[1] - a[1]);
            accounts.close();
            store.close();
        } finally {
            vertx.close().await(20, TimeUnit.SECONDS);
        }
    }

    private static HttpApiVerticle deploy(Vertx vertx, InMemoryCatalog catalog, S3ObjectStore store,
                                          StoredAccountService accounts) throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = new Readiness(Duration.ofSeconds(3), List.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamService streams = new StreamService(catalog, store, registry);
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        HttpApiVerticle v = accounts == null ? new HttpApiVerticle(config, readiness, areas)
            : new HttpApiVerticle(config, readiness, areas, t -> new AuthHandler(t, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
        return v;
    }

    private static List<Long> measure(HttpClient http, HttpRequest request, int n) throws Exception {
        List<Long> nanos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos.add(System.nanoTime() - t);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        return nanos;
    }

    /** p50 and p99 in milliseconds. */
    private static double[] percentiles(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new double[]{sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6};
    }
}
