package dev.s3music.launcher;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the embedded server with Redis, user data through the HTTP API; a graceful stop writes the buffered
 * plays (PLAYS_FLUSH_EVERY is an hour here, so only the stop can have written them), and a start on an emptied
 * Redis shows the same favourites, queue, playlists and plays from the documents in the bucket.
 */
class UserDataServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGracefulStopWritesThePlaysAndAnEmptyRedisLosesNothing(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            Map<String, String> env = Map.of("MUSIC_DIR", music.toString(), "HTTP_PORT", "0", "S3_PORT", "0",
                "HTTP_INSTANCES", "1", "USE_REDIS", "true", "REDIS_URL", redis.uri(), "SHUTDOWN_GRACE", "1s",
                "PLAYS_FLUSH_EVERY", "1h", "DEMO_LIBRARY", "false", "REDIS_TIMEOUT", "10s");
            server = MusicServer.start(TestSignIn.config(env));
            String bearer = TestSignIn.bearer(server.url());
            // ids are not checked against the catalog (an empty one here): the song shows as missing, kept all the same
            String songId = Ids.song("Teacher/Etudes/01 One.mp3");

            assertThat(send(bearer, "PUT", "/api/me/favourites/songs/" + songId, null).statusCode()).isEqualTo(204);
            for (int i = 0; i < 3; i++) {
                assertThat(send(bearer, "POST", "/api/me/plays", "{\"songId\":\"" + songId + "\"}").statusCode())
                    .isEqualTo(204);
            }
            assertThat(send(bearer, "PUT", "/api/me/queue", new JsonObject().put("songIds",
                new JsonArray().add(songId).add(songId)).put("current", 1).put("positionMs", 1234).encode())
                .statusCode()).isEqualTo(200);
            HttpResponse<String> created = send(bearer, "POST", "/api/playlists",
                new JsonObject().put("name", "Lesson").put("songIds", new JsonArray().add(songId)).encode());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String playlistId = new JsonObject(created.body()).getString("id");
            try (Stream<Path> plays = Files.walk(music.resolve(".s3music/users"))) {
                assertThat(plays.filter(p -> p.endsWith("plays.json"))).as("plays wait in memory").isEmpty();
            }

            server.shutdownGracefully();
            server = null;
            try (Stream<Path> plays = Files.walk(music.resolve(".s3music/users"))) {
                assertThat(plays.filter(p -> p.endsWith("plays.json"))).as("written by the stop").hasSize(1);
            }
            flushAll(redis.uri());

            server = MusicServer.start(TestSignIn.config(env));
            bearer = TestSignIn.bearer(server.url());
            JsonObject library = json(send(bearer, "GET", "/api/me/library", null));
            assertThat(library.getJsonObject("starred").getJsonObject("songs").containsKey(songId)).isTrue();
            assertThat(library.getJsonObject("plays").getJsonObject(songId).getLong("count")).isEqualTo(3);
            JsonObject queue = json(send(bearer, "GET", "/api/me/queue", null));
            assertThat(queue.getJsonArray("songs")).hasSize(2);
            assertThat(queue.getLong("positionMs")).isEqualTo(1234);
            JsonObject playlist = json(send(bearer, "GET", "/api/playlists/" + playlistId, null));
            assertThat(playlist.getString("name")).isEqualTo("Lesson");
            assertThat(playlist.getJsonArray("songs").getJsonObject(0)).isEqualTo(new JsonObject().put("id", songId)
                .put("missing", true));
            JsonObject favourites = json(send(bearer, "GET", "/api/me/favourites", null));
            assertThat(favourites.getJsonArray("songs").getJsonObject(0).getString("id")).isEqualTo(songId);
        }
    }

    private HttpResponse<String> send(String bearer, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
            .header("Authorization", bearer)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static void flushAll(String uri) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, uri);
            client.send(Request.cmd(Command.FLUSHALL)).await(10, TimeUnit.SECONDS);
            assertThat(client.send(Request.cmd(Command.DBSIZE)).await(10, TimeUnit.SECONDS).toLong()).isZero();
            client.close();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
