package dev.s3music.launcher;

import dev.s3music.embedded.S3Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 9 item 13 on the embedded default as it starts: per-installation credentials from S3_CREDENTIALS_FILE
 * (generated once, reused by the next start), and a browser on another origin cannot upload into MUSIC_DIR while
 * the server's own web origin can.
 */
class EmbeddedS3AccessTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private MusicServer start(Path music, Path credentials) throws Exception {
        return MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", music.toString(), "DEMO_LIBRARY", "false",
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1", "S3_CREDENTIALS_FILE", credentials.toString())));
    }

    @Test
    void credentialsAreGeneratedOnceOutsideTheMusicAndReusedByTheNextStart(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        Path file = tmp.resolve("state/embedded-s3.properties");
        server = start(music, file);
        S3Credentials stored = S3Credentials.loadOrCreate(file);
        assertThat(stored.accessKey()).isNotEqualTo("local-access-key");
        // the server signs its own S3 calls with them: it serves (an empty) library
        assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("/api/artists"))
                .header("Authorization", TestSignIn.bearer(server.url())).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(Files.exists(file)).isTrue();
        try (var inMusic = Files.walk(music)) {
            assertThat(inMusic).noneMatch(p -> p.getFileName().toString().endsWith(".properties"));
        }
        server.close();
        server = start(music, file);
        assertThat(S3Credentials.loadOrCreate(file)).isEqualTo(stored);
        // the old well-known pair is no key, even from the server's own origin (which passes the origin filter)
        HttpResponse<String> old = http.send(formPost(server.s3Endpoint(), "local-access-key", "local-secret-key",
            "Old/Pair/01 x.mp3", "http://127.0.0.1:" + server.httpPort()), HttpResponse.BodyHandlers.ofString());
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(old.body()).doesNotContain("web origin");
        assertThat(Files.exists(music.resolve("Old/Pair/01 x.mp3"))).isFalse();
    }

    @Test
    void credentialsInsideTheMusicFolderAreRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("MUSIC_DIR", tmp.toString(),
            "S3_CREDENTIALS_FILE", tmp.resolve("music/keys.properties").toString())))
            .isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.variable()).isEqualTo("S3_CREDENTIALS_FILE"));
    }

    @Test
    void onlyTheServersOwnWebOriginMayUploadFromABrowser(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        Path file = tmp.resolve("embedded-s3.properties");
        server = start(music, file);
        S3Credentials keys = S3Credentials.loadOrCreate(file);

        HttpResponse<String> evil = http.send(formPost(server.s3Endpoint(), keys.accessKey(), keys.secretKey(),
            "Evil/Planted/01 x.mp3", "http://evil.example"), HttpResponse.BodyHandlers.ofString());
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(Files.exists(music.resolve("Evil/Planted/01 x.mp3"))).isFalse();

        // the web player's origin, as a browser on this machine sends it (the port was picked at start)
        String own = "http://localhost:" + server.httpPort();
        HttpResponse<String> player = http.send(formPost(server.s3Endpoint(), keys.accessKey(), keys.secretKey(),
            "Own/Upload/01 y.mp3", own),
            HttpResponse.BodyHandlers.ofString());
        assertThat(player.statusCode()).as(player.body()).isBetween(200, 299);
        assertThat(player.headers().firstValue("Access-Control-Allow-Origin")).contains(own);
        assertThat(Files.exists(music.resolve("Own/Upload/01 y.mp3"))).isTrue();
    }

    /** A browser-style S3 POST Object form, signed (V2) with the given pair; {@code origin} null sends none. */
    private static HttpRequest formPost(URI endpoint, String accessKey, String secretKey, String key, String origin)
        throws Exception {
        String policy = Base64.getEncoder().encodeToString(("{\"expiration\":\""
            + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\",\"conditions\":["
            + "{\"bucket\":\"music\"},[\"starts-with\",\"$key\",\"\"]]}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(policy.getBytes(StandardCharsets.UTF_8)));
        String boundary = "----formboundaryS3music";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : new String[][] {{"key", key}, {"AWSAccessKeyId", accessKey}, {"policy", policy},
            {"signature", signature}}) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.mp3\"\r\n"
            + "Content-Type: audio/mpeg\r\n\r\nID3 not music\r\n--" + boundary + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + "/music"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b.build();
    }
}
