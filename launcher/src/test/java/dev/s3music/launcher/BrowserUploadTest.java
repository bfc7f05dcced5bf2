package dev.s3music.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web player's upload and cover paths on the embedded default as it starts: the server signs part URLs that
 * point at the embedded S3, a browser on the server's own origin PUTs to them and reads the ETag, the completed
 * file lands in MUSIC_DIR and the folder watcher's event indexes it; its folder image is then served resized and
 * kept under .s3music/art/.
 */
class BrowserUploadTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> api(String method, String path, JsonObject body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
            .header("Authorization", bearer)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the page does for one file: create, sign, PUT each part from its origin, complete. */
    private void upload(String key, byte[] bytes, String bearer, String origin) throws Exception {
        HttpResponse<String> created = api("POST", "/api/admin/uploads",
            new JsonObject().put("key", key).put("size", bytes.length), bearer);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject upload = new JsonObject(created.body());
        assertThat(upload.getInteger("partCount")).isEqualTo(1);
        String id = upload.getString("uploadId");
        HttpResponse<String> signed = api("POST", "/api/admin/uploads/" + id + "/parts",
            new JsonObject().put("key", key).put("partNumbers", new JsonArray().add(1)), bearer);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        String url = new JsonObject(signed.body()).getJsonObject("urls").getString("1");
        assertThat(URI.create(url).getPort()).isEqualTo(server.s3Endpoint().getPort());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", origin)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
        assertThat(put.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("ETag");
        String etag = put.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> done = api("POST", "/api/admin/uploads/" + id + "/complete", new JsonObject().put("key", key)
            .put("parts", new JsonArray().add(new JsonObject().put("partNumber", 1).put("etag", etag))), bearer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    }

    @Test
    void aFileUploadedFromTheServersOwnOriginIsIndexedAndItsCoverServed(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", music.toString(), "DEMO_LIBRARY", "false",
            "HTTP_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "1",
            "S3_CREDENTIALS_FILE", tmp.resolve("keys.properties").toString())));
        String bearer = TestSignIn.bearer(server.url());
        String origin = "http://127.0.0.1:" + server.httpPort();

        byte[] song = new byte[300_000];
        new Random(7).nextBytes(song);
        upload("Uploader/First Album/01 - Sent From The Page.mp3", song, bearer, origin);
        BufferedImage image = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        upload("Uploader/First Album/cover.jpg", jpeg.toByteArray(), bearer, origin);
        assertThat(Files.readAllBytes(music.resolve("Uploader/First Album/01 - Sent From The Page.mp3"))).isEqualTo(song);

        // the folder watcher turns the new file into the S3 event that indexes it
        String albumId = albumOf("Sent", bearer);

        HttpResponse<byte[]> cover = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            cover = http.send(HttpRequest.newBuilder(server.url().resolve("/api/albums/" + albumId + "/cover?size=256"))
                .header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (cover.statusCode() == 200) {
                break;
            }
            Thread.sleep(200); // the art's own event may come after the song's
        }
        assertThat(cover.statusCode()).isEqualTo(200);
        BufferedImage resized = ImageIO.read(new ByteArrayInputStream(cover.body()));
        assertThat(resized.getWidth()).isEqualTo(256);
        assertThat(resized.getHeight()).isEqualTo(171);
        try (Stream<Path> art = Files.walk(music.resolve(".s3music/art"))) {
            assertThat(art.filter(Files::isRegularFile)).singleElement().asString().endsWith(".jpg");
        }

        // an album without a folder image: the picture embedded in its song (a 16 x 16 red PNG in an ID3v2 tag, the
        // indexer's test file made with ffmpeg), read by ranges from the embedded S3
        byte[] tagged;
        try (var in = BrowserUploadTest.class.getResourceAsStream("/audio/with-picture.mp3")) {
            tagged = in.readAllBytes();
        }
        upload("Uploader/Second Album/01 - With Picture.mp3", tagged, bearer, origin);
        String second = albumOf("Grün", bearer); // the tag's title: "Blue in Grün"
        HttpResponse<byte[]> embedded = http.send(HttpRequest.newBuilder(server.url().resolve("/api/albums/" + second
            + "/cover?size=64")).header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(embedded.statusCode()).isEqualTo(200);
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(embedded.body()));
        assertThat(picture.getWidth()).isEqualTo(16); // never enlarged
        int rgb = picture.getRGB(8, 8);
        assertThat((rgb >> 16) & 0xff).isGreaterThan(200);
        assertThat(rgb & 0xff).isLessThan(60);
    }

    /** The album id of the first song the search finds, once the upload's event has indexed it (bounded wait). */
    private String albumOf(String query, String bearer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject found = new JsonObject(api("GET", "/api/search?q=" + java.net.URLEncoder.encode(query,
                java.nio.charset.StandardCharsets.UTF_8), null, bearer).body());
            if (!found.getJsonArray("songs").isEmpty()) {
                return new JsonObject(api("GET", "/api/songs/" + found.getJsonArray("songs").getJsonObject(0)
                    .getString("id"), null, bearer).body()).getJsonObject("album").getString("id");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not indexed within 30 s: " + query);
    }
}
