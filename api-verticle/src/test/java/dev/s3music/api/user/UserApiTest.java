package dev.s3music.api.user;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.FakeAccounts;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/me/...} and {@code /api/playlists...} over HTTP: two API servers (each its own
 * {@link StoredUserDataService}, as two instances, sharing one cache as they share Redis) on one S3Proxy bucket's
 * documents, behind the real auth handler, songs from an in-memory catalog.
 */
class UserApiTest {

    private static final String PW = "a long passphrase";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static Vertx vertx;
    static S3ObjectStore store;
    static InMemoryCatalog catalog;
    static FakeAccounts accounts;
    static HttpApiVerticle api;
    static HttpApiVerticle api2;
    static HttpClient http;
    static Song one;
    static Song two;
    static Song three;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket("music");
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, "music", s3.endpoint()));
        catalog = new InMemoryCatalog();
        one = song("Teacher/Etudes/01 One.mp3", 120);
        two = song("Teacher/Etudes/02 Two.flac", 200);
        three = song("Teacher/Scales/01 Three.ogg", null);
        accounts = new FakeAccounts().add("admin", PW, Role.ADMIN).add("ana", PW, Role.LISTENER)
            .add("bob", PW, Role.LISTENER);
        DocumentStore docs = store.documents(".s3music/" + UUID.randomUUID() + "/");
        // two instances share the cache as they share Redis in production (USE_REDIS=true is required by separate
        // API processes); the S3 suite of user-data runs instances with a cache each (the stale-cache paths)
        InMemoryUserDataCache cache = new InMemoryUserDataCache();
        api = deploy(docs, cache);
        api2 = deploy(docs, cache);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
        store.close();
        s3.close();
    }

    static Song song(String key, Integer seconds) {
        Song s = Song.of(SongKey.parse(key).orElseThrow(), 1000, "etag", Instant.parse("2026-01-01T00:00:00Z"))
            .withTags(new SongTags(null, null, null, null, null, 2020, "Classical", seconds, false));
        catalog.upsert(s).await();
        return s;
    }

    static HttpApiVerticle deploy(DocumentStore docs, InMemoryUserDataCache cache) throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), new StreamService(catalog, store, registry), readiness, registry));
        StoredUserDataService data = new StoredUserDataService(vertx, docs, cache, UserDataConfig.defaults());
        areas.add(new UserArea(data, catalog, accounts));
        HttpApiVerticle v = new HttpApiVerticle(config, readiness, areas,
            table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
        return v;
    }

    static String token(String user) throws Exception {
        return accounts.login(user, PW, "127.0.0.1").await(10, TimeUnit.SECONDS).token();
    }

    static HttpResponse<String> call(HttpApiVerticle on, String user, String method, String path, String body,
                                     String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.actualPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token(user));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> call(String user, String method, String path, String body, String... headers)
        throws Exception {
        return call(api, user, method, path, body, headers);
    }

    static JsonObject json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    static JsonObject createPlaylist(String user, String name, boolean isPublic, String... songIds) throws Exception {
        HttpResponse<String> r = call(user, "POST", "/api/playlists", new JsonObject().put("name", name)
            .put("public", isPublic).put("songIds", new JsonArray(List.of((Object[]) songIds))).encode());
        assertThat(r.headers().firstValue("ETag")).isPresent();
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/api/playlists/"));
        return json(r, 201);
    }

    @Test
    void favouritesRatingsAndTheLibrary() throws Exception {
        String u = "fav-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        assertThat(call(u, "PUT", "/api/me/favourites/songs/" + one.id(), null).statusCode()).isEqualTo(204);
        assertThat(call(u, "PUT", "/api/me/favourites/albums/" + one.albumId(), null).statusCode()).isEqualTo(204);
        assertThat(call(u, "PUT", "/api/me/favourites/artists/" + one.artistId(), null).statusCode()).isEqualTo(204);
        assertThat(call(u, "PUT", "/api/me/favourites/songs/" + two.id(), null).statusCode()).isEqualTo(204);
        assertThat(call(u, "DELETE", "/api/me/favourites/songs/" + two.id(), null).statusCode()).isEqualTo(204);
        assertThat(call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":4}").statusCode()).isEqualTo(204);

        JsonObject fav = json(call(u, "GET", "/api/me/favourites", null), 200);
        JsonObject s = fav.getJsonArray("songs").getJsonObject(0);
        assertThat(fav.getJsonArray("songs")).hasSize(1);
        assertThat(s.getString("id")).isEqualTo(one.id());
        assertThat(s.getString("title")).isEqualTo(one.title());
        assertThat(s.getString("stream")).isEqualTo("/api/songs/" + one.id() + "/stream");
        assertThat(s.getString("starredAt")).isNotNull();
        assertThat(fav.getJsonArray("albums").getJsonObject(0).getString("name")).isEqualTo("Etudes");
        assertThat(fav.getJsonArray("artists").getJsonObject(0).getString("name")).isEqualTo("Teacher");

        JsonObject lib = json(call(api2, u, "GET", "/api/me/library", null), 200);
        assertThat(lib.getJsonObject("starred").getJsonObject("songs").fieldNames()).containsExactly(one.id());
        assertThat(lib.getJsonObject("ratings").getJsonObject("songs").getInteger(one.id())).isEqualTo(4);
        assertThat(lib.getJsonObject("plays")).isEmpty();
    }

    @Test
    void playsAreListedMostAndRecentWithTheirCounts() throws Exception {
        String u = "plays-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        for (String body : List.of(
            new JsonObject().put("songId", two.id()).put("at", "2026-02-01T10:00:00Z").encode(),
            new JsonObject().put("songId", two.id()).put("at", "2026-02-01T11:00:00Z").encode(),
            new JsonObject().put("songId", one.id()).encode())) {
            assertThat(call(u, "POST", "/api/me/plays", body).statusCode()).isEqualTo(204);
        }
        JsonObject most = json(call(u, "GET", "/api/me/plays/most?limit=10", null), 200);
        assertThat(most.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList())
            .containsExactly(two.id(), one.id());
        assertThat(most.getJsonArray("items").getJsonObject(0).getLong("playCount")).isEqualTo(2);
        assertThat(most.getJsonArray("items").getJsonObject(0).getString("lastPlayed")).isEqualTo("2026-02-01T11:00:00Z");
        assertThat(most.getLong("total")).isEqualTo(2);
        JsonObject recent = json(call(u, "GET", "/api/me/plays/recent?offset=0&limit=1", null), 200);
        assertThat(recent.getJsonArray("items")).hasSize(1);
        assertThat(recent.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(one.id());
        assertThat(call(u, "GET", "/api/me/plays/recent?limit=501", null).statusCode()).isEqualTo(400);
        assertThat(call(u, "GET", "/api/me/plays/most?offset=-1", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theQueueFollowsTheUserToAnotherInstance() throws Exception {
        String u = "queue-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        JsonObject empty = json(call(u, "GET", "/api/me/queue", null), 200);
        assertThat(empty.getJsonArray("songs")).isEmpty();
        assertThat(empty.getInteger("current")).isEqualTo(-1);
        JsonObject saved = json(call(u, "PUT", "/api/me/queue", new JsonObject()
            .put("songIds", new JsonArray().add(one.id()).add(two.id())).put("current", 1).put("positionMs", 61_500)
            .put("client", "laptop").encode()), 200);
        assertThat(saved.getString("changedBy")).isEqualTo("laptop");
        JsonObject onPhone = json(call(api2, u, "GET", "/api/me/queue", null), 200);
        assertThat(onPhone).isEqualTo(saved);
        assertThat(onPhone.getJsonArray("songs").getJsonObject(1).getString("title")).isEqualTo(two.title());
        assertThat(onPhone.getLong("positionMs")).isEqualTo(61_500);
    }

    @Test
    void aRemovedKeyShowsAsMissingAndComesBack() throws Exception {
        Song gone = song("Teacher/Etudes/03 Gone.mp3", 60);
        String u = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        call(u, "PUT", "/api/me/favourites/songs/" + gone.id(), null);
        call(u, "PUT", "/api/me/queue", new JsonObject().put("songIds", new JsonArray().add(gone.id()).add(one.id()))
            .put("current", 0).encode());
        String id = createPlaylist(u, "With a gap", false, one.id(), gone.id()).getString("id");

        catalog.remove(gone.key()).await();
        JsonObject fav = json(call(u, "GET", "/api/me/favourites", null), 200).getJsonArray("songs").getJsonObject(0);
        assertThat(fav.getString("id")).isEqualTo(gone.id());
        assertThat(fav.getBoolean("missing")).isTrue();
        assertThat(fav.getString("starredAt")).isNotNull();
        JsonObject p = json(call(u, "GET", "/api/playlists/" + id, null), 200);
        assertThat(p.getJsonArray("songs").getJsonObject(1)).isEqualTo(new JsonObject().put("id", gone.id())
            .put("missing", true));
        assertThat(p.getInteger("songCount")).isEqualTo(2);
        assertThat(p.getLong("durationSeconds")).isEqualTo(120);
        assertThat(json(call(u, "GET", "/api/me/queue", null), 200).getJsonArray("songs").getJsonObject(0)
            .getBoolean("missing")).isTrue();

        catalog.upsert(gone).await(); // the key is back: same id
        JsonObject back = json(call(u, "GET", "/api/playlists/" + id, null), 200);
        assertThat(back.getJsonArray("songs").getJsonObject(1).getString("title")).isEqualTo(gone.title());
        assertThat(back.getJsonArray("songs").getJsonObject(1).containsKey("missing")).isFalse();
        assertThat(back.getLong("durationSeconds")).isEqualTo(180);
        assertThat(json(call(u, "GET", "/api/me/favourites", null), 200).getJsonArray("songs").getJsonObject(0)
            .getString("title")).isEqualTo(gone.title());
    }

    @Test
    void anotherUsersPrivatePlaylistIs404OnEveryRoute() throws Exception {
        JsonObject secret = createPlaylist("ana", "Ana's secret", false, one.id());
        JsonObject open = createPlaylist("ana", "Ana's open", true, two.id());
        String secretPath = "/api/playlists/" + secret.getString("id");
        String openPath = "/api/playlists/" + open.getString("id");
        String patch = new JsonObject().put("append", new JsonArray().add(three.id())).encode();

        for (HttpApiVerticle on : List.of(api, api2)) {
            HttpResponse<String> get = call(on, "bob", "GET", secretPath, null);
            assertThat(get.statusCode()).isEqualTo(404);
            assertThat(get.body()).doesNotContain("Ana's secret");
            assertThat(call(on, "bob", "PATCH", secretPath, patch).statusCode()).isEqualTo(404);
            assertThat(call(on, "bob", "DELETE", secretPath, null).statusCode()).isEqualTo(404);
            assertThat(call(on, "bob", "GET", "/api/playlists/unknownid0000000", null).statusCode()).isEqualTo(404);
            List<String> names = json(call(on, "bob", "GET", "/api/playlists", null), 200).getJsonArray("playlists")
                .stream().map(o -> ((JsonObject) o).getString("name")).toList();
            assertThat(names).contains("Ana's open").doesNotContain("Ana's secret");
            // a public one: readable, but only its owner changes it
            assertThat(json(call(on, "bob", "GET", openPath, null), 200).getString("owner")).isEqualTo("ana");
            assertThat(call(on, "bob", "PATCH", openPath, patch).statusCode()).isEqualTo(404);
            assertThat(call(on, "bob", "DELETE", openPath, null).statusCode()).isEqualTo(404);
        }
        JsonObject still = json(call("ana", "GET", secretPath, null), 200);
        assertThat(still.getJsonArray("songs")).hasSize(1);
        assertThat(json(call("ana", "GET", openPath, null), 200).getJsonArray("songs")).hasSize(1);
        assertThat(call("ana", "DELETE", secretPath, null).statusCode()).isEqualTo(204);
        assertThat(call("ana", "GET", secretPath, null).statusCode()).isEqualTo(404);
    }

    @Test
    void badInputIs400AndChangesNothing() throws Exception {
        String u = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":3}");
        HttpResponse<String> created = call(u, "POST", "/api/playlists",
            new JsonObject().put("name", "Keep").put("songIds", new JsonArray().add(one.id())).encode());
        String id = json(created, 201).getString("id");
        String etag = created.headers().firstValue("ETag").orElseThrow();
        String path = "/api/playlists/" + id;

        assertThat(call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":7}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":2.5}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":\"5\"}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/ratings/songs/" + one.id(), "{\"rating\":").statusCode()).isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/ratings/genres/" + one.id(), "{\"rating\":1}").statusCode()).isEqualTo(404);
        assertThat(call(u, "POST", "/api/playlists", "{\"name\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(call(u, "POST", "/api/playlists", "{\"name\":\"   \"}").statusCode()).isEqualTo(400);
        assertThat(call(u, "POST", "/api/playlists", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(call(u, "POST", "/api/playlists", "{\"name\":\"x\",\"songIds\":[1]}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PATCH", path, "{\"removeIndexes\":[1]}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PATCH", path, "{\"removeIndexes\":[-1]}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PATCH", path, "{\"name\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PATCH", path, "{\"songIds\":[],\"append\":[\"x\"]}").statusCode()).isEqualTo(400);
        assertThat(call(u, "PATCH", path, "not json").statusCode()).isEqualTo(400);
        assertThat(call(u, "POST", "/api/me/plays", "{}").statusCode()).isEqualTo(400);
        assertThat(call(u, "POST", "/api/me/plays", "{\"songId\":\"" + one.id() + "\",\"at\":\"yesterday\"}")
            .statusCode()).isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/queue", "{\"songIds\":[\"" + one.id() + "\"],\"current\":3}").statusCode())
            .isEqualTo(400);
        assertThat(call(u, "PUT", "/api/me/queue", "{\"current\":0}").statusCode()).isEqualTo(400);

        JsonObject lib = json(call(u, "GET", "/api/me/library", null), 200);
        assertThat(lib.getJsonObject("ratings").getJsonObject("songs").getInteger(one.id())).isEqualTo(3);
        assertThat(lib.getJsonObject("plays")).isEmpty();
        HttpResponse<String> after = call(u, "GET", path, null);
        assertThat(after.headers().firstValue("ETag")).hasValue(etag);
        assertThat(json(after, 200).getString("name")).isEqualTo("Keep");
        assertThat(json(call(u, "GET", "/api/playlists", null), 200).getJsonArray("playlists").stream()
            .filter(o -> u.equals(((JsonObject) o).getString("owner")))).hasSize(1);
        assertThat(json(call(u, "GET", "/api/me/queue", null), 200).getJsonArray("songs")).isEmpty();
    }

    @Test
    void ifMatchOnAStaleVersionIs412AndChangesNothing() throws Exception {
        HttpResponse<String> created = call("ana", "POST", "/api/playlists",
            new JsonObject().put("name", "Versioned").put("songIds", new JsonArray().add(one.id())).encode());
        String path = "/api/playlists/" + json(created, 201).getString("id");
        String v1 = created.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> changed = call("ana", "PATCH", path, "{\"append\":[\"" + two.id() + "\"]}", "If-Match", v1);
        assertThat(changed.statusCode()).isEqualTo(200);
        String v2 = changed.headers().firstValue("ETag").orElseThrow();
        assertThat(v2).isNotEqualTo(v1);
        // api2 may hold v1 in its cache: it asks the store before refusing
        HttpResponse<String> stale = call(api2, "ana", "PATCH", path, "{\"songIds\":[\"" + three.id() + "\"]}",
            "If-Match", v1);
        assertThat(stale.statusCode()).isEqualTo(412);
        HttpResponse<String> ok = call(api2, "ana", "PATCH", path, "{\"songIds\":[\"" + two.id() + "\",\"" + one.id()
            + "\"]}", "If-Match", v2);
        assertThat(json(ok, 200).getJsonArray("songs").stream().map(o -> ((JsonObject) o).getString("id")).toList())
            .containsExactly(two.id(), one.id());
    }

    @Test
    void twoApiInstancesEditingOnePlaylistAtOnceLoseNoEntry() throws Exception {
        String id = createPlaylist("ana", "Shared lesson", false).getString("id");
        String path = "/api/playlists/" + id;
        json(call(api2, "ana", "GET", path, null), 200);
        String tokenA = token("ana");
        List<CompletableFuture<HttpResponse<String>>> edits = new ArrayList<>();
        int each = 10;
        for (int i = 0; i < each; i++) {
            for (HttpApiVerticle on : List.of(api, api2)) {
                String song = on == api ? one.id() : two.id();
                edits.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.actualPort() + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + tokenA)
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"append\":[\"" + song + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> e : edits) {
            HttpResponse<String> r = e.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        for (HttpApiVerticle on : List.of(api, api2)) {
            List<String> ids = json(call(on, "ana", "GET", path, null), 200).getJsonArray("songs").stream()
                .map(o -> ((JsonObject) o).getString("id")).toList();
            assertThat(ids).hasSize(2 * each);
            assertThat(ids.stream().filter(one.id()::equals).count()).isEqualTo(each);
        }
    }

    @Test
    void theAdminExportsAUsersData() throws Exception {
        String u = "export-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.add(u, PW, Role.LISTENER);
        call(u, "PUT", "/api/me/favourites/songs/" + one.id(), null);
        call(u, "POST", "/api/me/plays", "{\"songId\":\"" + two.id() + "\"}");
        createPlaylist(u, "Mine only", false, three.id());
        JsonObject e = json(call("admin", "GET", "/api/admin/users/" + u.toUpperCase() + "/data", null), 200);
        assertThat(e.getString("username")).isEqualTo(u);
        assertThat(e.getJsonObject("starred").getJsonObject("songs").containsKey(one.id())).isTrue();
        assertThat(e.getJsonObject("plays").getJsonObject(two.id()).getLong("count")).isEqualTo(1);
        assertThat(e.getJsonArray("playlists").getJsonObject(0).getString("name")).isEqualTo("Mine only");
        assertThat(call("admin", "GET", "/api/admin/users/nobody-here/data", null).statusCode()).isEqualTo(404);
        assertThat(call(u, "GET", "/api/admin/users/" + u + "/data", null).statusCode()).isEqualTo(403);
    }
}
