package dev.s3music.subsonic;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives {@code /rest} with a third-party client library, npm {@code subsonic-api} ({@code src/test/js}, installed
 * by {@code npm ci} there; {@code .ci/run} does it): JSON, token sign-in with a fresh salt per call, POST form
 * bodies and API keys, the way Feishin-style clients call. The script checks each answer and prints a summary.
 */
@ExtendWith(VertxExtension.class)
class SubsonicClientLibraryTest {

    static final Path JS = Path.of("src/test/js");

    @TempDir
    static Path base;
    static SubsonicServer server;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        server = SubsonicServer.start(vertx, base);
        server.put("Teacher/Etudes/01 One.mp3", 40_000, "Classical", 2001, 120);
        server.put("Teacher/Etudes/02 Two.mp3", 30_000, "Classical", 2001, 90);
        server.put("Teacher/Scales/01 Other.flac", 20_000, "Jazz", 1999, 60);
        server.put("The Band/Live/01 Song.ogg", 10_000, null, null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void theSubsonicApiClientWorksByGetPostAndApiKey() throws Exception {
        assertThat(JS.resolve("node_modules/subsonic-api/package.json"))
            .as("npm ci --prefix subsonic/src/test/js (done by .ci/run) installs the client").exists();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/auth/login"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", SubsonicServer.STUDENT)
                .put("password", SubsonicServer.STUDENT_PW).encode())).build(), HttpResponse.BodyHandlers.ofString()).body())
            .getString("token");
        String app = created(http, "/api/me/subsonic-password", token).getString("password");
        String key = created(http, "/api/me/api-keys", token).getString("apiKey");

        Path out = base.resolve("node.out");
        Path err = base.resolve("node.err");
        Process node = new ProcessBuilder("node", "script.mjs", server.base(), SubsonicServer.STUDENT, app, key)
            .directory(JS.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = node.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly();
        }
        String stdout = read(out);
        assertThat(ended).as("node ended within 2 minutes").isTrue();
        assertThat(node.exitValue()).as(stdout + read(err)).isZero();
        List<String> lines = stdout.lines().toList();
        JsonObject summary = new JsonObject(lines.get(lines.size() - 1));
        assertThat(summary.getJsonArray("extensions")).containsExactly("formPost", "apiKeyAuthentication");
        assertThat(summary.getJsonArray("artists").getList()).contains("Teacher", "The Band");
        assertThat(summary.getJsonArray("albums")).containsExactly("Etudes", "Scales");
        assertThat(summary.getJsonArray("songs")).containsExactly("One", "Two");
        assertThat(summary.getInteger("searchSongs")).isEqualTo(4);
        assertThat(summary.getJsonArray("starred").getList()).containsExactlyInAnyOrder("One", "Two");
        assertThat(summary.getJsonArray("playlist")).isEqualTo(new JsonArray().add("One").add("Two"));
        assertThat(summary.getInteger("streamBytes")).isEqualTo(40_000);
        assertThat(summary.getInteger("missingStream")).isEqualTo(70);
        assertThat(summary.getInteger("wrongPassword")).isEqualTo(40);
        assertThat(summary.getInteger("badKey")).isEqualTo(44);
    }

    private static JsonObject created(HttpClient http, String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base() + path))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body());
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
