package dev.s3music.launcher;

import dev.s3music.embedded.FreePorts;
import dev.s3music.embedded.RedisServerProcess;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End to end: the embedded default in this JVM, on free ports, over a fresh folder that gets the demo library. */
class MusicServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;
    private MusicServer signedInTo;
    private String bearer;

    /** {@code Bearer <token>} of the admin on the current server (signing in again after a restart). */
    private String bearer() throws Exception {
        if (signedInTo != server) {
            bearer = TestSignIn.bearer(server.url());
            signedInTo = server;
        }
        return bearer;
    }

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
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", music.toString(),
            "HTTP_PORT", String.valueOf(httpPort), "S3_PORT", "0", "HTTP_INSTANCES", "1")));

        assertThat(server.songs()).isEqualTo(9);
        // every /api route needs a session; health stays open
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/api/artists")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(uri("/health/live")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(200);
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
                + "/stream")).header("Authorization", bearer()).header("Range", "bytes=1000-1999").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + file.length);
        assertThat(ranged.headers().firstValue("Content-Type")).contains("audio/mpeg");
        assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));

        // the same library over Subsonic (/rest), signed in with the account password as phone apps do
        String rest = "u=" + TestSignIn.ADMIN_USER + "&p=" + TestSignIn.ADMIN_PASSWORD + "&f=json&v=1.16.1&c=test";
        JsonObject subsonic = new JsonObject(http.send(HttpRequest.newBuilder(uri("/rest/getArtists.view?" + rest))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body())
            .getJsonObject("subsonic-response");
        assertThat(subsonic.getString("status")).isEqualTo("ok");
        assertThat(subsonic.getJsonObject("artists").getJsonArray("index").stream()
            .flatMap(i -> ((JsonObject) i).getJsonArray("artist").stream())
            .map(a -> ((JsonObject) a).getString("name")))
            .containsExactlyInAnyOrder("Ada Sine", "Lumen Trio", "The Square Roots");
        HttpResponse<byte[]> viaRest = http.send(HttpRequest.newBuilder(uri("/rest/stream?id=so-" + song.getString("id")
                + "&" + rest)).header("Range", "bytes=1000-1999").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaRest.statusCode()).isEqualTo(206);
        assertThat(viaRest.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));

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
    void aFileCopiedIntoTheMusicFolderIsInTheApiWithinSeconds(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", music.toString(),
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1")));
        assertThat(server.songs()).isEqualTo(9);
        assertThat(server.queueUrl()).endsWith("/music-events");
        assertThat(server.deadLetterQueueUrl()).endsWith("/music-events-dlq");

        Path album = music.resolve("New Artist/New Album");
        Files.createDirectories(album);
        Path source = music.resolve("Ada Sine/First Waves/02 - Pentatonic Walk.flac");
        Path copy = album.resolve("01 - Copied In.flac");
        Files.copy(source, copy);
        long copied = System.nanoTime();

        JsonObject found = null;
        long deadline = copied + Duration.ofSeconds(20).toNanos();
        while (found == null && System.nanoTime() < deadline) {
            JsonObject artists = getJson("/api/artists?offset=0&limit=10");
            found = artists.getJsonArray("items").stream().map(a -> (JsonObject) a)
                .filter(a -> a.getString("name").equals("New Artist")).findFirst().orElse(null);
            if (found == null) {
                Thread.sleep(100);
            }
        }
        assertThat(found).as("the new artist within 20 s").isNotNull();
        long seconds = Duration.ofNanos(System.nanoTime() - copied).toSeconds();
        assertThat(seconds).as("seconds from copy to API").isLessThan(20);
        JsonObject newAlbum = getJson("/api/albums/" + getJson("/api/artists/" + found.getString("id"))
            .getJsonArray("albums").getJsonObject(0).getString("id"));
        JsonObject song = newAlbum.getJsonArray("songs").getJsonObject(0);
        assertThat(song.getString("title")).as("title from the tags").isEqualTo("Pentatonic Walk");

        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri("/api/songs/" + song.getString("id")
            + "/stream")).header("Authorization", bearer()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(Files.readAllBytes(copy));

        Files.delete(copy);
        boolean gone = false;
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!gone && System.nanoTime() < deadline) {
            gone = getJson("/api/artists?offset=0&limit=10").getLong("total") == 3;
            if (!gone) {
                Thread.sleep(100);
            }
        }
        assertThat(gone).as("a deleted file leaves the catalog").isTrue();
    }

    @Test
    void withoutAdminPasswordTheFirstRunOffersAOneTimeSetup(@TempDir Path tmp) throws Exception {
        LauncherConfig config = LauncherConfig.fromEnv(Map.of("MUSIC_DIR", tmp.resolve("m").toString(),
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1", "DEMO_LIBRARY", "false"));
        server = MusicServer.start(config);
        String code = server.setupCode().orElseThrow();
        assertThat(StartBanner.text(config, server.url(), 0, Optional.empty(), null, null, null,
            server.setupCode())).contains(server.url() + "/api/setup").contains(code);
        assertThat(getJsonAnonymous("/api/setup").getBoolean("open")).isTrue();
        assertThat(TestSignIn.login(server.url(), "admin", "no-account-yet-1").statusCode()).isEqualTo(401);
        String body = new JsonObject().put("code", code).put("username", "teacher")
            .put("password", "a-teacher-password").encode();
        HttpResponse<String> wrong = post("/api/setup", body.replace(code, "not-the-code"));
        assertThat(wrong.statusCode()).isIn(400, 401, 403, 404);
        HttpResponse<String> created = post("/api/setup", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(new JsonObject(created.body()).getJsonObject("user").getString("role")).isEqualTo("admin");
        assertThat(post("/api/setup", body).statusCode()).isIn(401, 403, 409);
        assertThat(getJsonAnonymous("/api/setup").getBoolean("open")).isFalse();
        TestSignIn.bearer(server.url(), "teacher", "a-teacher-password");
    }

    private JsonObject getJsonAnonymous(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessChecksTheEmbeddedS3CatalogAndQueue(@TempDir Path tmp) throws Exception {
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", tmp.resolve("m").toString(),
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1", "DEMO_LIBRARY", "false")));
        // the API port: status only; the management port: every check
        assertThat(getJson("/health/ready")).isEqualTo(new JsonObject().put("status", "up"));
        JsonObject ready = managementJson("/health/ready");
        assertThat(ready.getString("status")).isEqualTo("up");
        assertThat(ready.getJsonObject("checks").fieldNames()).containsExactlyInAnyOrder("s3", "catalog", "sqs");
        assertThat(server.songs()).isZero();
    }

    @Test
    void sigtermDrainsReadinessFirstAndLetsAStreamInFlightFinish(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        Path big = music.resolve("Big Band/Long Takes/01 - Long Take.mp3");
        Files.createDirectories(big.getParent());
        byte[] content = new byte[24 * 1024 * 1024];
        new java.util.Random(7).nextBytes(content);
        Files.write(big, content);
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", music.toString(), "DEMO_LIBRARY", "false",
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1", "SHUTDOWN_GRACE", "20s")));
        JsonObject artist = getJson("/api/artists").getJsonArray("items").getJsonObject(0);
        String albumId = getJson("/api/artists/" + artist.getString("id")).getJsonArray("albums").getJsonObject(0)
            .getString("id");
        String songId = getJson("/api/albums/" + albumId).getJsonArray("songs").getJsonObject(0).getString("id");

        // a listener with a small window: the stream stays in flight until it reads on
        try (Socket listener = new Socket()) {
            listener.setReceiveBufferSize(8 * 1024);
            listener.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5000);
            listener.setSoTimeout(20_000);
            listener.getOutputStream().write(("GET /api/songs/" + songId + "/stream HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer()
                    + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = new java.io.BufferedInputStream(listener.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: " + content.length);
            byte[] first = in.readNBytes(64 * 1024);
            long waited = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.readiness().inFlight() == 0 && System.nanoTime() < waited) {
                Thread.sleep(20);
            }
            assertThat(server.readiness().inFlight()).isEqualTo(1);

            MusicServer stopping = server;
            java.util.concurrent.CompletableFuture<Void> stop = java.util.concurrent.CompletableFuture.runAsync(
                stopping::shutdownGracefully);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            HttpResponse<String> ready = null;
            while (System.nanoTime() < deadline) {
                ready = http.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 503) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(ready.body()).getBoolean("draining")).isTrue();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/api/artists"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(stop).isNotDone();

            byte[] rest = in.readNBytes(content.length - first.length);
            byte[] all = new byte[content.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(all).as("the stream in flight finished whole").isEqualTo(content);
            stop.get(15, TimeUnit.SECONDS);
        }
        int port = server.httpPort();
        server = null;
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void withRedisTheCatalogOutlivesTheProcess(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            Map<String, String> env = Map.of("MUSIC_DIR", tmp.resolve("music").toString(), "HTTP_PORT", "0",
                "S3_PORT", "0", "HTTP_INSTANCES", "1", "USE_REDIS", "true", "REDIS_URL", redis.uri());
            server = MusicServer.start(TestSignIn.config(env));
            waitForArtists(3);
            JsonObject ready = managementJson("/health/ready");
            assertThat(ready.getJsonObject("checks").fieldNames()).containsExactlyInAnyOrder("redis", "s3", "sqs");
            server.close();

            // a second start finds the catalog in Redis: no reconcile needed, the library is there at once
            server = MusicServer.start(TestSignIn.config(env));
            assertThat(getJson("/api/artists").getLong("total")).isEqualTo(3);
            server.close();
            server = null;
        }
    }

    private void waitForArtists(long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (getJson("/api/artists").getLong("total") == n) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(getJson("/api/artists").getLong("total")).isEqualTo(n);
    }

    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0 || b.length() > 16_384) {
                throw new IOException("no response head: " + b);
            }
            b.append((char) c);
        }
        return b.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }

    @Test
    void takenHttpPortFailsTheStartNamingHttpPort(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", tmp.toString(),
                "HTTP_PORT", String.valueOf(taken.getLocalPort()), "S3_PORT", "0", "HTTP_INSTANCES", "1"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("HTTP_PORT"));
        }
    }

    private JsonObject getJson(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (path.startsWith("/api/")) {
            b.header("Authorization", bearer());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private JsonObject managementJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.managementPort() + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private URI uri(String path) {
        return server.url().resolve(path);
    }
}
