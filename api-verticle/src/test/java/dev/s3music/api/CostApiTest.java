package dev.s3music.api;

import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.FakeAccounts;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.api.cost.CatalogBytes;
import dev.s3music.api.cost.CostArea;
import dev.s3music.api.cost.CostPanel;
import dev.s3music.api.cost.S3Prices;
import dev.s3music.model.Song;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/admin/costs} over the real verticle, auth handler, S3Proxy and S3 adapter: the requests the adapter
 * really sent for a whole play, a seek, a HEAD and a listing (and the links of the redirect mode) show in their rows
 * with the bytes read; storage is the catalog's total; only an admin may read it.
 */
@ExtendWith(VertxExtension.class)
class CostApiTest {

    private static final byte[] A = S3TestSupport.randomBytes(120_000, 31);
    private static final byte[] B = S3TestSupport.randomBytes(80_000, 32);

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static SimpleMeterRegistry registry;
    static Song a;
    static int port;
    static String admin;
    static String listener;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        registry = new SimpleMeterRegistry();
        store = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET, env.s3.endpoint()), registry);
        InMemoryCatalog catalog = new InMemoryCatalog();
        a = env.putSong(catalog, store, "Art Blakey/Moanin'/01 - Moanin'.mp3", A);
        env.putSong(catalog, store, "Art Blakey/Moanin'/02 - Are You Real.mp3", B);
        FakeAccounts accounts = new FakeAccounts().add("boss", "admin-password-1", Role.ADMIN)
            .add("student", "student-password-1", Role.LISTENER);
        admin = accounts.login("boss", "admin-password-1", "127.0.0.1").await().token();
        listener = accounts.login("student", "student-password-1", "127.0.0.1").await().token();
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        StreamService streams = new StreamService(catalog, store, registry, config.maxStreams(),
            config.maxStreamsPerUser(), store.links(Duration.ofMinutes(5)), StreamMode.PROXY);
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        areas.add(new CostArea(new CostPanel(registry, S3Prices.DEFAULTS, new CatalogBytes(catalog))));
        HttpApiVerticle api = new HttpApiVerticle(config, readiness, areas,
            table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        env.close();
    }

    private static HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject row(JsonObject panel, String kind) {
        return panel.getJsonArray("rows").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("kind").equals(kind)).findFirst().orElseThrow();
    }

    private static JsonObject panel() throws Exception {
        HttpResponse<String> r = get("/api/admin/costs", admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return new JsonObject(r.body());
    }

    @Test
    void theRequestsTheStoreSentShowInTheirRowsWithTheBytesRead(Vertx vertx) throws Exception {
        JsonObject before = panel();
        String stream = "/api/songs/" + a.id() + "/stream";
        assertThat(get(stream, listener).statusCode()).isEqualTo(200);
        assertThat(get(stream, listener, "Range", "bytes=100-1099").statusCode()).isEqualTo(206);
        store.head(a.key()).await();
        store.list(null, 10).await();
        assertThat(get(stream + "?redirect=true", listener).statusCode()).isEqualTo(302);

        JsonObject after = panel();
        for (String kind : List.of("get_full", "get_ranged", "head", "list", "redirect_s3")) {
            assertThat(row(after, kind).getLong("count") - row(before, kind).getLong("count")).as(kind).isEqualTo(1);
        }
        assertThat(row(after, "retrieval").getLong("count") - row(before, "retrieval").getLong("count"))
            .isEqualTo(A.length + 1000);
        assertThat(row(after, "redirect_s3_retrieval").getLong("count")
            - row(before, "redirect_s3_retrieval").getLong("count")).isEqualTo(A.length);
        assertThat(row(after, "storage").getLong("count")).isEqualTo(A.length + B.length);
        assertThat(row(after, "get_full").getDouble("dollarsPerDay")).isPositive();
        assertThat(after.getDouble("totalDollarsPerDay")).isGreaterThan(before.getDouble("totalDollarsPerDay"));
    }

    @Test
    void onlyAnAdminMayReadIt() throws Exception {
        assertThat(get("/api/admin/costs", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/admin/costs", "forged.token").statusCode()).isEqualTo(401);
        assertThat(get("/api/admin/costs", listener).statusCode()).isEqualTo(403);
        assertThat(get("/api/admin/costs", admin).statusCode()).isEqualTo(200);
    }
}
