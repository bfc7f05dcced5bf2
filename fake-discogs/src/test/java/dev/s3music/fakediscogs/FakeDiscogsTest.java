package dev.s3music.fakediscogs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class FakeDiscogsTest {

    private FakeDiscogs fake;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        client = WebClient.create(vertx);
        FakeDiscogs.start(vertx).onComplete(ctx.succeeding(f -> {
            fake = f;
            ctx.completeNow();
        }));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private io.vertx.core.Future<HttpResponse<Buffer>> get(String uri) {
        return client.get(fake.port(), "127.0.0.1", uri).send();
    }

    @Test
    void searchesArtistsLooselyLikeDiscogs(VertxTestContext ctx) {
        get("/database/search?q=Coldplay&type=artist").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
            assertThat(results).hasSize(10);
            assertThat(results.getJsonObject(0).getString("title")).isEqualTo("Coldplay");
            assertThat(r.getHeader("X-Discogs-Ratelimit")).isEqualTo("60");
            assertThat(r.getHeader("X-Discogs-Ratelimit-Remaining")).isEqualTo("59");
            ctx.completeNow();
        })));
    }

    @Test
    void searchesMastersByArtistAndTitle(VertxTestContext ctx) {
        get("/database/search?type=master&artist=DJ%20Healer&release_title=Nothing%202%20Loose")
            .compose(masters -> get("/database/search?type=release&artist=Maurice%20Ravel&release_title=bolero")
                .map(rel -> List.of(masters, rel)))
            .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
                JsonArray masters = rs.get(0).bodyAsJsonObject().getJsonArray("results");
                assertThat(masters).hasSize(1);
                assertThat(masters.getJsonObject(0).getLong("id")).isEqualTo(1521183L);
                JsonArray rel = rs.get(1).bodyAsJsonObject().getJsonArray("results");
                assertThat(rel).extracting(o -> ((JsonObject) o).getLong("id")).containsExactly(1287017L);
                ctx.completeNow();
            })));
    }

    @Test
    void servesFixturesByIdAnd404ForUnknownIds(VertxTestContext ctx) {
        get("/artists/29735").compose(a -> get("/releases/1287017").compose(r -> get("/masters/1")
                .compose(m -> get("/artists/29735/releases?per_page=5").map(rel -> List.of(a, r, m, rel)))))
            .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
                assertThat(rs.get(0).bodyAsJsonObject().getString("name")).isEqualTo("Coldplay");
                assertThat(rs.get(1).bodyAsJsonObject().getJsonArray("tracklist")).hasSize(4);
                assertThat(rs.get(2).statusCode()).isEqualTo(404);
                assertThat(rs.get(2).bodyAsJsonObject().getString("message")).isEqualTo("Master not found.");
                JsonObject page = rs.get(3).bodyAsJsonObject();
                assertThat(page.getJsonArray("releases")).hasSize(5);
                assertThat(page.getJsonObject("pagination").getInteger("pages")).isEqualTo(6);
                ctx.completeNow();
            })));
    }

    @Test
    void playsScriptedStormsAndRecordsEveryCall(VertxTestContext ctx) {
        fake.failNext(429, 1);
        fake.failNext(500, 1);
        get("/artists/29735").compose(a -> get("/artists/29735").compose(b -> get("/artists/29735")
                .map(c -> List.of(a, b, c))))
            .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
                assertThat(rs).extracting(HttpResponse::statusCode).containsExactly(429, 500, 200);
                assertThat(rs.get(0).bodyAsJsonObject().getString("message"))
                    .isEqualTo("You are making requests too quickly.");
                assertThat(fake.calls()).extracting(FakeDiscogs.Call::status).containsExactly(429, 500, 200);
                assertThat(fake.calls()).extracting(FakeDiscogs.Call::path).containsOnly("/artists/29735");
                ctx.completeNow();
            })));
    }

    @Test
    void servesRegisteredEntities(VertxTestContext ctx) {
        fake.addArtist(new JsonObject().put("id", 1L).put("name", "Dave Holmes"));
        get("/database/search?q=Dave%20Holmes&type=artist").compose(s -> get("/artists/1").map(a -> List.of(s, a)))
            .onComplete(ctx.succeeding(rs -> ctx.verify(() -> {
                assertThat(rs.get(0).bodyAsJsonObject().getJsonArray("results"))
                    .extracting(o -> ((JsonObject) o).getString("title"))
                    .containsExactly("Dave Holmes (7)", "Dave Holmes");
                assertThat(rs.get(1).bodyAsJsonObject().getString("name")).isEqualTo("Dave Holmes");
                ctx.completeNow();
            })));
    }
}
