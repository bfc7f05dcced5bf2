package dev.s3music.api;

import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.SongTags;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The list endpoints (/api/albums, /api/genres, /api/songs, /api/songs/random) over an in-memory catalog. */
@ExtendWith(VertxExtension.class)
class CatalogListsApiTest {

    private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static WebClient client;
    static int port;

    private static Song song(String key, Integer year, String genre, Integer seconds, int day) {
        return ApiTestServer.song(key, 1000, "e", T)
            .withTags(new SongTags(null, null, null, null, null, year, genre, seconds, false))
            .withAddedAt(T.plusSeconds(86_400L * day));
    }

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        store = env.store(vertx);
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (Song s : List.of(
            song("Miles Davis/Kind of Blue/01 So What.mp3", 1959, "Jazz", 545, 1),
            song("Miles Davis/Kind of Blue/02 Freddie.mp3", 1959, "Jazz", 586, 1),
            song("Miles Davis/Bitches Brew/01 Pharaoh.flac", 1970, "Jàzz", 1200, 3),
            song("Björk/Homogenic/01 Hunter.ogg", 1997, "Electronic", 255, 2),
            song("Björk/Homogenic/02 Joga.ogg", 1997, "electronic", 305, 2),
            song("abba/Arrival/01 Dancing Queen.mp3", null, null, null, 0))) {
            catalog.upsert(s).await();
        }
        ApiConfig config = new ApiConfig("127.0.0.1", 0, Duration.ofMillis(150), Duration.ofSeconds(2), Duration.ofMillis(300));
        HttpApiVerticle api = new HttpApiVerticle(config, catalog, store, MetadataReader.unavailable(),
            HttpApiVerticle.defaultReadiness(config, catalog, store));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        env.close();
    }

    private static JsonObject json(String uri, int status) throws Exception {
        HttpResponse<Buffer> r = client.get(port, "127.0.0.1", uri).send().await();
        assertThat(r.statusCode()).as(uri + " " + r.bodyAsString()).isEqualTo(status);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        return r.bodyAsJsonObject();
    }

    private static List<String> field(JsonArray items, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i).getString(name));
        }
        return out;
    }

    @Test
    void albumsComeInEachOrderWithWhatTheyHold() throws Exception {
        JsonObject byName = json("/api/albums", 200);
        assertThat(field(byName.getJsonArray("items"), "name")).containsExactly("Arrival", "Bitches Brew", "Homogenic", "Kind of Blue");
        assertThat(byName.getLong("total")).isEqualTo(4);
        assertThat(byName.getInteger("limit")).isEqualTo(CatalogHandlers.DEFAULT_PAGE);
        JsonObject kob = byName.getJsonArray("items").getJsonObject(3);
        assertThat(kob).isEqualTo(new JsonObject().put("id", Ids.album("Miles Davis", "Kind of Blue")).put("name", "Kind of Blue")
            .put("artist", new JsonObject().put("id", Ids.artist("Miles Davis")).put("name", "Miles Davis"))
            .put("songCount", 2).put("durationSeconds", 1131).put("year", 1959).put("genre", "Jazz")
            .put("addedAt", "2024-05-02T12:00:00Z").put("coverUrl", "/api/albums/" + Ids.album("Miles Davis", "Kind of Blue") + "/cover"));
        JsonObject arrival = byName.getJsonArray("items").getJsonObject(0);
        assertThat(arrival.getValue("year")).isNull();
        assertThat(arrival.getValue("genre")).isNull();
        assertThat(field(json("/api/albums?sort=artist", 200).getJsonArray("items"), "name"))
            .containsExactly("Arrival", "Homogenic", "Bitches Brew", "Kind of Blue");
        assertThat(field(json("/api/albums?sort=added&limit=2", 200).getJsonArray("items"), "name"))
            .containsExactly("Bitches Brew", "Homogenic");
        assertThat(field(json("/api/albums?sort=year", 200).getJsonArray("items"), "name"))
            .containsExactly("Kind of Blue", "Bitches Brew", "Homogenic");
        assertThat(field(json("/api/albums?sort=year&fromYear=2000&toYear=1960", 200).getJsonArray("items"), "name"))
            .containsExactly("Homogenic", "Bitches Brew");
        assertThat(field(json("/api/albums?sort=name&genre=JAZZ", 200).getJsonArray("items"), "name"))
            .containsExactly("Bitches Brew", "Kind of Blue");
        assertThat(field(json("/api/albums?fromYear=1965", 200).getJsonArray("items"), "name"))
            .containsExactly("Bitches Brew", "Homogenic");
        assertThat(field(json("/api/albums?toYear=1965", 200).getJsonArray("items"), "name")).containsExactly("Kind of Blue");
        JsonObject page = json("/api/albums?offset=1&limit=2", 200);
        assertThat(field(page.getJsonArray("items"), "name")).containsExactly("Bitches Brew", "Homogenic");
        assertThat(page.getLong("total")).isEqualTo(4);
        JsonObject random = json("/api/albums?sort=random&limit=3", 200);
        assertThat(field(random.getJsonArray("items"), "id")).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void genresAreListedWithTheirCounts() throws Exception {
        // "Electronic" and "electronic" tie: the first in byte order names the genre
        assertThat(json("/api/genres", 200)).isEqualTo(new JsonObject().put("genres", new JsonArray()
            .add(new JsonObject().put("name", "Electronic").put("songCount", 2).put("albumCount", 1))
            .add(new JsonObject().put("name", "Jazz").put("songCount", 3).put("albumCount", 2))));
    }

    @Test
    void songsOfAGenreArePagedInPlayOrder() throws Exception {
        JsonObject all = json("/api/songs?genre=jazz", 200);
        assertThat(field(all.getJsonArray("items"), "title")).containsExactly("Pharaoh", "So What", "Freddie");
        assertThat(all.getLong("total")).isEqualTo(3);
        JsonObject first = all.getJsonArray("items").getJsonObject(1);
        assertThat(first.getInteger("year")).isEqualTo(1959);
        assertThat(first.getString("genre")).isEqualTo("Jazz");
        assertThat(first.getInteger("durationSeconds")).isEqualTo(545);
        assertThat(first.getJsonObject("album").getString("name")).isEqualTo("Kind of Blue");
        assertThat(field(json("/api/songs?genre=J%C3%A1zz&offset=2&limit=5", 200).getJsonArray("items"), "title")).containsExactly("Freddie");
        assertThat(json("/api/songs?genre=polka", 200).getJsonArray("items")).isEmpty();
    }

    @Test
    void randomSongsHonourCountGenreAndYears() throws Exception {
        assertThat(json("/api/songs/random", 200).getJsonArray("songs")).hasSize(6);
        assertThat(field(json("/api/songs/random?count=2", 200).getJsonArray("songs"), "id")).hasSize(2).doesNotHaveDuplicates();
        assertThat(field(json("/api/songs/random?genre=ELECTRONIC", 200).getJsonArray("songs"), "title"))
            .containsExactlyInAnyOrder("Hunter", "Joga");
        assertThat(field(json("/api/songs/random?fromYear=1960&toYear=1980", 200).getJsonArray("songs"), "title"))
            .containsExactly("Pharaoh");
        assertThat(field(json("/api/songs/random?genre=jazz&toYear=1960", 200).getJsonArray("songs"), "title"))
            .containsExactlyInAnyOrder("So What", "Freddie");
    }

    @Test
    void badParametersAre400() throws Exception {
        for (String uri : List.of("/api/albums?sort=best", "/api/albums?limit=0", "/api/albums?limit=501",
            "/api/albums?offset=-1", "/api/albums?fromYear=abc", "/api/albums?toYear=10000", "/api/albums?genre=",
            "/api/albums?genre=%20%20", "/api/songs", "/api/songs?genre=", "/api/songs?genre=%09", "/api/songs?genre=x&limit=0",
            "/api/songs/random?count=0", "/api/songs/random?count=501", "/api/songs/random?count=x",
            "/api/songs/random?genre=%20", "/api/songs/random?fromYear=-1")) {
            JsonObject e = json(uri, 400);
            assertThat(e.getString("error")).as(uri).isEqualTo("bad_request");
            assertThat(e.getString("message")).as(uri).isNotBlank();
        }
    }
}
