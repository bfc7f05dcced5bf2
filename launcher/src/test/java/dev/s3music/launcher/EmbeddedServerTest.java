package dev.s3music.launcher;

import dev.s3music.embedded.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End to end: the embedded default in this JVM, on free ports, over a fresh folder that gets the demo library. */
class EmbeddedServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void firstStartServesTheDemoLibraryAndSeeksInASong(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("My Music");
        int httpPort = FreePorts.next();
        server = EmbeddedServer.start(LauncherConfig.fromEnv(Map.of("MUSIC_DIR", music.toString(),
            "HTTP_PORT", String.valueOf(httpPort), "S3_PORT", "0", "HTTP_INSTANCES", "1")));

        assertThat(server.songs()).isEqualTo(9);
        JsonObject artists = getJson("/api/artists?offset=0&limit=10");
        assertThat(artists.getLong("total")).isEqualTo(3);
        assertThat(artists.getJsonArray("items").stream().map(a -> ((JsonObject) a).getString("name")))
            .containsExactly("Ada Sine", "Lumen Trio", "The Square Roots");

        String artistId = artists.getJsonArray("items").getJsonObject(0).getString("id");
        JsonArray albums = getJson("/api/artists/" + artistId).getJsonArray("albums");
        assertThat(albums).hasSize(1);
        JsonObject album = getJson("/api/albums/" + albums.getJsonObject(0).getString("id"));
        assertThat(album.getString("name")).isEqualTo("First Waves");
        JsonObject song = album.getJsonArray("songs").getJsonObject(0);
        assertThat(song.getString("title")).isEqualTo("Morning Tone");
        assertThat(song.getInteger("track")).isEqualTo(1);

        byte[] file = Files.readAllBytes(music.resolve("Ada Sine/First Waves/01 - Morning Tone.mp3"));
        HttpResponse<byte[]> ranged = http.send(HttpRequest.newBuilder(uri("/api/songs/" + song.getString("id")
                + "/stream")).header("Range", "bytes=1000-1999").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + file.length);
        assertThat(ranged.headers().firstValue("Content-Type")).contains("audio/mpeg");
        assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));

        server.close();
        server = null;
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", httpPort), 1000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThat(music.resolve("Ada Sine/First Waves/01 - Morning Tone.mp3")).exists();
    }

    @Test
    void redisIsRefusedUntilItsAdaptersExist(@TempDir Path tmp) {
        assertThatThrownBy(() -> EmbeddedServer.start(LauncherConfig.fromEnv(Map.of("MUSIC_DIR", tmp.toString(),
            "USE_REDIS", "true", "S3_PORT", "0", "HTTP_PORT", "0"))))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("USE_REDIS"));
    }

    @Test
    void takenHttpPortFailsTheStartNamingHttpPort(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedServer.start(LauncherConfig.fromEnv(Map.of("MUSIC_DIR", tmp.toString(),
                "HTTP_PORT", String.valueOf(taken.getLocalPort()), "S3_PORT", "0", "HTTP_INSTANCES", "1"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("HTTP_PORT"));
        }
    }

    private JsonObject getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private URI uri(String path) {
        return server.url().resolve(path);
    }
}
