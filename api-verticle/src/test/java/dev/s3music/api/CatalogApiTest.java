package dev.s3music.api;

import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.Song;
import dev.s3music.model.SongTags;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Catalog, search, admin and health endpoints, and the contract's validation, over an in-memory catalog. */
@ExtendWith(VertxExtension.class)
class CatalogApiTest {

    private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static InMemoryCatalog catalog;
    static WebClient client;
    static int port;
    static int managementPort;
    static final String MILES = Ids.artist("Miles Davis");

    /** Ready for artists, pending for albums, never answers for songs (so the API's timeout shows). */
    static final MetadataReader METADATA = ref -> switch (ref.kind()) {
        case ARTIST -> Future.succeededFuture(new Metadata(Metadata.Status.READY, new JsonObject().put("profile", "jazz " + ref.artist())));
        case ALBUM -> Future.succeededFuture(new Metadata(Metadata.Status.PENDING, null));
        case SONG -> Promise.<Metadata>promise().future();
    };

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        store = env.store(vertx);
        catalog = new InMemoryCatalog();
        for (String key : List.of(
            "Miles Davis/Kind of Blue/01 - So What.mp3",
            "Miles Davis/Kind of Blue/02 - Freddie Freeloader.mp3",
            "Miles Davis/Kind of Blue/03 - Blue in Green.flac",
            "Miles Davis/Bitches Brew/01 Pharaoh's Dance.flac",
            "Björk/Homogenic/01 Hunter.ogg",
            "Ábaco/Uno/01 primero.opus",
            "ZZ Top/Eliminator/01 Gimme All Your Lovin'.m4a",
            "abba/Arrival/01 Dancing Queen.mp3",
            "loose song.mp3")) {
            catalog.upsert(ApiTestServer.song(key, 1000, "etag-" + key.length(), T)).await();
        }
        Song tagged = ApiTestServer.song("Tagged/Album/CD1/1-07 Title.flac", 4242, "e1", T)
            .withTags(new SongTags("Real Title", "Tag Artist", "Tag Album", 7, 1, 1999, "Jazz", 321, true));
        catalog.upsert(tagged).await();
        ApiConfig config = new ApiConfig("127.0.0.1", 0, Duration.ofMillis(150), Duration.ofSeconds(2),
            Duration.ofMillis(300));
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        HttpApiVerticle api = new HttpApiVerticle(config, catalog, store, METADATA, readiness);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        HealthVerticle management = new HealthVerticle("127.0.0.1", 0, readiness, null);
        vertx.deployVerticle(management).await(20, TimeUnit.SECONDS);
        managementPort = management.actualPort();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        env.close();
    }

    private static HttpResponse<Buffer> get(String uri) throws Exception {
        return client.get(port, "127.0.0.1", uri).send().await();
    }

    private static JsonObject json(String uri, int status) throws Exception {
        var r = get(uri);
        assertThat(r.statusCode()).as(uri + " " + r.bodyAsString()).isEqualTo(status);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        return r.bodyAsJsonObject();
    }

    @Test
    void artistsArePagedInDisplayOrder() throws Exception {
        JsonObject first = json("/api/artists?offset=0&limit=3", 200);
        assertThat(first.getInteger("offset")).isZero();
        assertThat(first.getInteger("limit")).isEqualTo(3);
        assertThat(first.getLong("total")).isEqualTo(7);
        assertThat(names(first.getJsonArray("items"))).containsExactly("Ábaco", "abba", "Björk");
        JsonObject rest = json("/api/artists?offset=3&limit=10", 200);
        assertThat(names(rest.getJsonArray("items"))).containsExactly("Miles Davis", "Tagged", "Unknown artist", "ZZ Top");
        assertThat(rest.getJsonArray("items").getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "name");
        JsonObject defaults = json("/api/artists", 200);
        assertThat(defaults.getInteger("offset")).isZero();
        assertThat(defaults.getInteger("limit")).isEqualTo(CatalogHandlers.DEFAULT_PAGE);
        assertThat(json("/api/artists?offset=100", 200).getJsonArray("items")).isEmpty();
    }

    @Test
    void artistHasAlbumsAndMetadata() throws Exception {
        JsonObject a = json("/api/artists/" + MILES, 200);
        assertThat(a.getString("id")).isEqualTo(MILES);
        assertThat(a.getString("name")).isEqualTo("Miles Davis");
        assertThat(names(a.getJsonArray("albums"))).containsExactly("Bitches Brew", "Kind of Blue");
        assertThat(a.getJsonArray("albums").getJsonObject(1).getString("id")).isEqualTo(Ids.album("Miles Davis", "Kind of Blue"));
        assertThat(a.getString("metadataStatus")).isEqualTo("ready");
        assertThat(a.getJsonObject("metadata").getString("profile")).isEqualTo("jazz Miles Davis");
    }

    @Test
    void albumHasArtistSongsInPlayOrderAndMetadataStatus() throws Exception {
        JsonObject a = json("/api/albums/" + Ids.album("Miles Davis", "Kind of Blue"), 200);
        assertThat(a.getString("name")).isEqualTo("Kind of Blue");
        assertThat(a.getJsonObject("artist")).isEqualTo(new JsonObject().put("id", MILES).put("name", "Miles Davis"));
        JsonArray songs = a.getJsonArray("songs");
        assertThat(songs).hasSize(3);
        JsonObject first = songs.getJsonObject(0);
        assertThat(first.getString("title")).isEqualTo("So What");
        assertThat(first.getInteger("track")).isEqualTo(1);
        assertThat(first.getString("format")).isEqualTo("mp3");
        assertThat(first.getLong("size")).isEqualTo(1000);
        assertThat(first.getString("id")).isEqualTo(Ids.song("Miles Davis/Kind of Blue/01 - So What.mp3"));
        assertThat(songs.getJsonObject(2).getString("format")).isEqualTo("flac");
        assertThat(a.getString("metadataStatus")).isEqualTo("pending");
        assertThat(a.containsKey("metadata")).isTrue();
        assertThat(a.getValue("metadata")).isNull();
    }

    @Test
    void songHasKeyAlbumArtistTagsAndUnavailableMetadataWhenTheReaderIsSlow() throws Exception {
        String key = "Tagged/Album/CD1/1-07 Title.flac";
        long t0 = System.nanoTime();
        JsonObject s = json("/api/songs/" + Ids.song(key), 200);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("answered after the metadata timeout, not later").isLessThan(5000);
        assertThat(s.getString("key")).isEqualTo(key);
        assertThat(s.getString("title")).isEqualTo("Real Title");
        assertThat(s.getInteger("track")).isEqualTo(7);
        assertThat(s.getInteger("disc")).isEqualTo(1);
        assertThat(s.getString("subFolder")).isEqualTo("CD1");
        assertThat(s.getString("format")).isEqualTo("flac");
        assertThat(s.getString("contentType")).isEqualTo("audio/flac");
        assertThat(s.getLong("size")).isEqualTo(4242);
        assertThat(s.getJsonObject("album").getString("name")).isEqualTo("Album");
        assertThat(s.getJsonObject("artist").getString("name")).isEqualTo("Tagged");
        assertThat(s.getString("stream")).isEqualTo("/api/songs/" + Ids.song(key) + "/stream");
        assertThat(s.getJsonObject("tags").getInteger("year")).isEqualTo(1999);
        assertThat(s.getJsonObject("tags").getBoolean("embeddedCover")).isTrue();
        assertThat(s.getString("metadataStatus")).isEqualTo("unavailable");
        JsonObject untagged = json("/api/songs/" + Ids.song("loose song.mp3"), 200);
        assertThat(untagged.containsKey("tags")).isFalse();
        assertThat(untagged.getJsonObject("artist").getString("name")).isEqualTo("Unknown artist");
        assertThat(untagged.getJsonObject("album").getString("name")).isEqualTo("Unknown album");
        assertThat(untagged.getValue("track")).isNull();
    }

    @Test
    void songHasTheTimeItWasFirstIndexedInUtc() throws Exception {
        String key = "Miles Davis/Kind of Blue/01 - So What.mp3";
        Instant added = catalog.song(Ids.song(key)).await().orElseThrow().addedAt();
        String json = json("/api/songs/" + Ids.song(key), 200).getString("addedAt");
        assertThat(json).endsWith("Z");
        assertThat(Instant.parse(json)).isEqualTo(added);
    }

    @Test
    void unknownIdsAre404() throws Exception {
        assertThat(json("/api/artists/" + Ids.artist("Nobody"), 404).getString("error")).isEqualTo("not_found");
        json("/api/albums/" + Ids.album("Nobody", "Nothing"), 404);
        json("/api/songs/" + Ids.song("Nobody/Nothing/x.mp3"), 404);
        json("/api/no/such/endpoint", 404);
    }

    @Test
    void searchFindsEachKindByWordPrefixIgnoringAccents() throws Exception {
        JsonObject r = json("/api/search?q=blue", 200);
        assertThat(names(r.getJsonArray("artists"))).isEmpty();
        assertThat(names(r.getJsonArray("albums"))).containsExactly("Kind of Blue");
        assertThat(r.getJsonArray("songs")).hasSize(1);
        JsonObject song = r.getJsonArray("songs").getJsonObject(0);
        assertThat(song.getString("title")).isEqualTo("Blue in Green");
        assertThat(song.getJsonObject("album").getString("name")).isEqualTo("Kind of Blue");
        assertThat(song.getJsonObject("artist").getString("name")).isEqualTo("Miles Davis");
        assertThat(names(json("/api/search?q=bjork", 200).getJsonArray("artists"))).containsExactly("Björk");
        assertThat(names(json("/api/search?q=MIL%20da", 200).getJsonArray("artists"))).containsExactly("Miles Davis");
        JsonObject limited = json("/api/search?q=d&limit=1", 200);
        assertThat(limited.getJsonArray("songs").size()).isLessThanOrEqualTo(1);
        JsonObject none = json("/api/search?q=%2B%2B%2B", 200);
        assertThat(none.getJsonArray("songs")).isEmpty();
    }

    @Test
    void invalidParametersAre400WithAClearMessage() throws Exception {
        for (String uri : List.of("/api/artists?limit=0", "/api/artists?limit=501", "/api/artists?limit=ten",
            "/api/artists?offset=-1", "/api/search", "/api/search?q=", "/api/search?q=x&limit=1000",
            "/api/search?q=" + "x".repeat(201), "/api/artists/not%20an%20id", "/api/albums/a.b")) {
            JsonObject e = json(uri, 400);
            assertThat(e.getInteger("status")).isEqualTo(400);
            assertThat(e.getString("error")).isEqualTo("bad_request");
            assertThat(e.getString("message")).as(uri).isNotBlank();
        }
        assertThat(json("/api/artists?limit=0", 400).getString("message")).contains("limit");
    }

    @Test
    void healthLiveAndReadyAnswer() throws Exception {
        assertThat(json("/health/live", 200).getString("status")).isEqualTo("up");
        // the public port: status only (targets and error texts are for the management port)
        assertThat(json("/health/ready", 200)).isEqualTo(new JsonObject().put("status", "up"));
        var r = client.get(managementPort, "127.0.0.1", "/health/ready").send().await();
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject ready = r.bodyAsJsonObject();
        assertThat(ready.getString("status")).isEqualTo("up");
        assertThat(ready.getJsonObject("checks").getJsonObject("s3").getString("status")).isEqualTo("up");
        assertThat(ready.getJsonObject("checks").getJsonObject("catalog").getString("status")).isEqualTo("up");
    }

    @Test
    void readyIs503AndSaysWhatFailedWhenS3IsDown(Vertx vertx) throws Exception {
        S3ObjectStore down = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, "no-such-bucket", env.s3.endpoint()));
        Readiness readiness = HttpApiVerticle.defaultReadiness(ApiConfig.defaults(), catalog, down);
        HttpApiVerticle api = new HttpApiVerticle(ApiConfig.of("127.0.0.1", 0), catalog, down, null, readiness);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        HealthVerticle management = new HealthVerticle("127.0.0.1", 0, readiness, null);
        vertx.deployVerticle(management).await(20, TimeUnit.SECONDS);
        var pub = client.get(api.actualPort(), "127.0.0.1", "/health/ready").send().await();
        assertThat(pub.statusCode()).isEqualTo(503);
        assertThat(pub.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "down"));
        var r = client.get(management.actualPort(), "127.0.0.1", "/health/ready").send().await();
        assertThat(r.statusCode()).isEqualTo(503);
        JsonObject s3 = r.bodyAsJsonObject().getJsonObject("checks").getJsonObject("s3");
        assertThat(s3.getString("status")).isEqualTo("down");
        assertThat(s3.getString("error")).contains("no-such-bucket");
        assertThat(client.get(api.actualPort(), "127.0.0.1", "/health/live").send().await().statusCode()).isEqualTo(200);
        down.close();
    }

    @Test
    void rescanIs503WithoutAnIndexerAndRelaysItsStatusWithOne(Vertx vertx) throws Exception {
        var none = client.post(port, "127.0.0.1", "/api/admin/rescan").send().await();
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.getHeader("Retry-After")).isNotNull();
        assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");

        MessageConsumer<Object> start = vertx.eventBus().consumer(Addresses.RESCAN_START,
            m -> m.reply(new JsonObject().put("state", "running").put("listed", 0)));
        MessageConsumer<Object> status = vertx.eventBus().consumer(Addresses.RESCAN_STATUS,
            m -> m.reply(new JsonObject().put("state", "done").put("listed", 12)));
        start.completion().await();
        status.completion().await();
        var started = client.post(port, "127.0.0.1", "/api/admin/rescan").send().await();
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.bodyAsJsonObject().getString("state")).isEqualTo("running");
        var polled = client.get(port, "127.0.0.1", "/api/admin/rescan").send().await();
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(polled.bodyAsJsonObject().getInteger("listed")).isEqualTo(12);
        start.unregister().await();
        status.unregister().await();

        MessageConsumer<Object> busy = vertx.eventBus().consumer(Addresses.RESCAN_START, m -> m.fail(409, "a rescan is running"));
        busy.completion().await();
        var conflict = client.post(port, "127.0.0.1", "/api/admin/rescan").send().await();
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.bodyAsJsonObject().getString("message")).isEqualTo("a rescan is running");
        busy.unregister().await();

        MessageConsumer<Object> silent = vertx.eventBus().consumer(Addresses.RESCAN_STATUS, m -> { });
        silent.completion().await();
        assertThat(client.get(port, "127.0.0.1", "/api/admin/rescan").send().await().statusCode()).isEqualTo(503);
        silent.unregister().await();
    }

    @Test
    void commandsRefuseFormBodiesSoCrossSiteFormsCannotStartThem(Vertx vertx) throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        MessageConsumer<Object> start = vertx.eventBus().consumer(Addresses.RESCAN_START, m -> {
            asked.incrementAndGet();
            m.reply(new JsonObject().put("state", "running").put("runId", "r1"));
        });
        MessageConsumer<Object> redrive = vertx.eventBus().consumer(Addresses.DLQ_REDRIVE, m -> {
            asked.incrementAndGet();
            m.reply(new JsonObject().put("moved", 3).put("remaining", 0));
        });
        start.completion().await();
        redrive.completion().await();
        for (String path : List.of("/api/admin/rescan", "/api/admin/dlq/redrive")) {
            for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
                var form = client.post(port, "127.0.0.1", path).putHeader("Content-Type", type)
                    .putHeader("Origin", "http://evil.example").sendBuffer(io.vertx.core.buffer.Buffer.buffer("a=b")).await();
                assertThat(form.statusCode()).as(path + " " + type).isEqualTo(415);
            }
        }
        assertThat(asked.get()).isZero();
        var json = client.post(port, "127.0.0.1", "/api/admin/rescan").sendJsonObject(new JsonObject()).await();
        assertThat(json.statusCode()).isEqualTo(202);
        assertThat(json.bodyAsJsonObject().getString("runId")).isEqualTo("r1");
        var moved = client.post(port, "127.0.0.1", "/api/admin/dlq/redrive").send().await();
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.bodyAsJsonObject().getLong("moved")).isEqualTo(3);
        assertThat(asked.get()).isEqualTo(2);
        start.unregister().await();
        redrive.unregister().await();
    }

    @Test
    void dlqDepthIsRelayedAnd503WithoutAnIndexer(Vertx vertx) throws Exception {
        assertThat(client.get(port, "127.0.0.1", "/api/admin/dlq").send().await().statusCode()).isEqualTo(503);
        MessageConsumer<Object> depth = vertx.eventBus().consumer(Addresses.DLQ_STATUS,
            m -> m.reply(new JsonObject().put("messages", 7)));
        depth.completion().await();
        var r = client.get(port, "127.0.0.1", "/api/admin/dlq").send().await();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getLong("messages")).isEqualTo(7);
        depth.unregister().await();
    }

    @Test
    void contractIsServedAsJson() throws Exception {
        JsonObject c = json("/api/openapi.json", 200);
        assertThat(c.getString("openapi")).startsWith("3.");
        assertThat(c.getJsonObject("paths").fieldNames()).contains("/api/songs/{id}/stream", "/api/artists",
            "/api/search", "/api/admin/rescan", "/health/ready");
    }

    @Test
    void wrongMethodIsAnErrorNot500() throws Exception {
        var r = client.request(HttpMethod.DELETE, port, "127.0.0.1", "/api/artists").send().await();
        assertThat(r.statusCode()).isIn(404, 405);
    }

    private static List<String> names(JsonArray items) {
        return items.stream().map(o -> ((JsonObject) o).getString("name")).toList();
    }
}
