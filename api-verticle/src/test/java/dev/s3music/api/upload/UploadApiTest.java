package dev.s3music.api.upload;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.auth.AuthArea;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.FakeAccounts;
import dev.s3music.api.auth.FakeShares;
import dev.s3music.api.auth.FakeSubsonicCredentials;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.ByteRange;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser uploads against S3Proxy through the real S3 adapter: create, sign, PUT the parts to the signed URLs as a
 * browser would (with the server's Origin; the ETag exposed by CORS), list, complete, the object byte-exact; altered
 * URLs refused by S3; resume and abort; a listener refused; bad keys, sizes and bodies 400.
 */
@ExtendWith(VertxExtension.class)
class UploadApiTest {

    static final String BUCKET = "music";
    static final String ORIGIN = "http://127.0.0.1:8080";
    static final int MIB = 1024 * 1024;

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3ObjectStore store;
    static HttpApiVerticle api;
    static HttpClient http;
    static String admin;
    static String student;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        s3.allowOrigins(List.of(ORIGIN));
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        InMemoryCatalog catalog = new InMemoryCatalog();
        FakeAccounts accounts = new FakeAccounts().add("admin", "admin-password-1", Role.ADMIN)
            .add("student", "student-password-1", Role.LISTENER);
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), new StreamService(catalog, store, registry), readiness, registry));
        areas.add(new AuthArea(accounts, new FakeShares(), new FakeSubsonicCredentials(), TrustedProxies.NONE));
        areas.add(new UploadArea(store.uploads()));
        api = new HttpApiVerticle(config, readiness, areas, table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        admin = login("admin", "admin-password-1");
        student = login("student", "student-password-1");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        s3.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String login(String user, String password) throws Exception {
        HttpResponse<String> r = call("POST", "/api/auth/login",
            new JsonObject().put("username", user).put("password", password).encode(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    static JsonObject create(String key, long size) throws Exception {
        HttpResponse<String> r = call("POST", "/api/admin/uploads",
            new JsonObject().put("key", key).put("size", size).encode(), admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body());
    }

    static JsonObject sign(String uploadId, String key, Integer... parts) throws Exception {
        HttpResponse<String> r = call("POST", "/api/admin/uploads/" + uploadId + "/parts",
            new JsonObject().put("key", key).put("partNumbers", new JsonArray(List.of(parts))).encode(), admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonObject("urls");
    }

    /** A browser's PUT of a part: the page's Origin, the bytes, nothing else. */
    static HttpResponse<String> put(String url, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Origin", ORIGIN).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static String path(String uploadId, String suffix, String key) {
        return "/api/admin/uploads/" + uploadId + suffix + "?key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    // --- tests -----------------------------------------------------------------------------------------------------

    @Test
    void aFileGoesStraightToS3InSignedPartsAndIsCompleted() throws Exception {
        String key = "Upload Band/Live Album/01 - Long Take ü.flac";
        byte[] file = S3TestSupport.randomBytes(8 * MIB + 12_345, 11);
        JsonObject upload = create(key, file.length);
        assertThat(upload.getString("key")).isEqualTo(key);
        assertThat(upload.getLong("partSize")).isEqualTo(8L * MIB);
        assertThat(upload.getInteger("partCount")).isEqualTo(2);
        String id = upload.getString("uploadId");

        JsonObject urls = sign(id, key, 1, 2);
        assertThat(urls.fieldNames()).containsExactlyInAnyOrder("1", "2");
        assertThat(urls.getString("1")).startsWith(s3.endpoint().toString());

        // the browser's preflight for the PUT, then the parts in parallel-order (2 before 1)
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(urls.getString("1")))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", "PUT").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");

        HttpResponse<String> two = put(urls.getString("2"), Arrays.copyOfRange(file, 8 * MIB, file.length));
        HttpResponse<String> one = put(urls.getString("1"), Arrays.copyOfRange(file, 0, 8 * MIB));
        for (HttpResponse<String> r : List.of(one, two)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("ETag")).isPresent();
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
            assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("ETag");
        }

        HttpResponse<String> listed = call("GET", path(id, "/parts", key), null, admin);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonArray parts = new JsonArray(listed.body());
        assertThat(parts).hasSize(2);
        assertThat(parts.getJsonObject(0).getInteger("partNumber")).isEqualTo(1);
        assertThat(parts.getJsonObject(0).getLong("size")).isEqualTo(8L * MIB);
        assertThat(parts.getJsonObject(1).getLong("size")).isEqualTo(12_345L);

        JsonArray done = new JsonArray()
            .add(new JsonObject().put("partNumber", 1).put("etag", one.headers().firstValue("ETag").orElseThrow()))
            .add(new JsonObject().put("partNumber", 2).put("etag", two.headers().firstValue("ETag").orElseThrow()));
        HttpResponse<String> completed = call("POST", "/api/admin/uploads/" + id + "/complete",
            new JsonObject().put("key", key).put("parts", done).encode(), admin);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        assertThat(store.head(key).await().size()).isEqualTo(file.length);
        assertThat(store.read(key, new ByteRange(0, file.length - 1)).await().getBytes()).isEqualTo(file);
    }

    @Test
    void anAlteredUrlIsRefusedByS3() throws Exception {
        String key = "Upload Band/Tamper/01 - Song.mp3";
        String id = create(key, 3 * MIB).getString("uploadId");
        String url = sign(id, key, 1).getString("1");
        byte[] bytes = S3TestSupport.randomBytes(1000, 5);

        assertThat(put(url.replace("partNumber=1", "partNumber=2"), bytes).statusCode()).isEqualTo(403);
        assertThat(put(url.replace("Tamper", "Tampered"), bytes).statusCode()).isIn(403, 404);
        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String flipped = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        assertThat(put(url.replace(signature, flipped), bytes).statusCode()).isEqualTo(403);
        // nothing arrived; the real URL still works
        assertThat(new JsonArray(call("GET", path(id, "/parts", key), null, admin).body())).isEmpty();
        assertThat(put(url, bytes).statusCode()).isEqualTo(200);
        // another page's origin cannot use it
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "http://evil.example")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(call("DELETE", path(id, "", key), null, admin).statusCode()).isEqualTo(204);
    }

    @Test
    void anInterruptedUploadResumesFromTheListedPartsOrIsAborted() throws Exception {
        String key = "Upload Band/Resume/02 - Take.wav";
        byte[] file = S3TestSupport.randomBytes(16 * MIB + 10, 12);
        String id = create(key, file.length).getString("uploadId");
        JsonObject urls = sign(id, key, 1, 2, 3);
        HttpResponse<String> first = put(urls.getString("1"), Arrays.copyOfRange(file, 0, 8 * MIB));
        assertThat(first.statusCode()).isEqualTo(200);
        // the network drops; later the page asks what arrived and sends only the rest, with fresh URLs
        JsonArray held = new JsonArray(call("GET", path(id, "/parts", key), null, admin).body());
        assertThat(held).hasSize(1);
        assertThat(held.getJsonObject(0).getString("etag")).isEqualTo(first.headers().firstValue("ETag").orElseThrow()
            .replace("\"", ""));
        JsonObject fresh = sign(id, key, 2, 3);
        String e2 = put(fresh.getString("2"), Arrays.copyOfRange(file, 8 * MIB, 16 * MIB)).headers().firstValue("ETag").orElseThrow();
        String e3 = put(fresh.getString("3"), Arrays.copyOfRange(file, 16 * MIB, file.length)).headers().firstValue("ETag").orElseThrow();
        JsonArray parts = new JsonArray()
            .add(new JsonObject().put("partNumber", 1).put("etag", held.getJsonObject(0).getString("etag")))
            .add(new JsonObject().put("partNumber", 2).put("etag", e2))
            .add(new JsonObject().put("partNumber", 3).put("etag", e3));
        assertThat(call("POST", "/api/admin/uploads/" + id + "/complete",
            new JsonObject().put("key", key).put("parts", parts).encode(), admin).statusCode()).isEqualTo(204);
        assertThat(store.read(key, new ByteRange(0, 8 * MIB - 1)).await().getBytes())
            .isEqualTo(Arrays.copyOfRange(file, 0, 8 * MIB));
        assertThat(store.read(key, new ByteRange(8 * MIB, file.length - 1)).await().getBytes())
            .isEqualTo(Arrays.copyOfRange(file, 8 * MIB, file.length));

        // abort: the parts are dropped, the upload is gone
        String other = "Upload Band/Resume/03 - Dropped.mp3";
        String abandoned = create(other, 9 * MIB).getString("uploadId");
        put(sign(abandoned, other, 1).getString("1"), S3TestSupport.randomBytes(MIB, 1));
        assertThat(call("DELETE", path(abandoned, "", other), null, admin).statusCode()).isEqualTo(204);
        assertNoSuchUpload(call("GET", path(abandoned, "/parts", other), null, admin));
        assertThat(isMissing(other)).isTrue();
    }

    /** S3 answers NoSuchUpload (404); S3Proxy's filesystem store lists no parts for an unknown upload. */
    static void assertNoSuchUpload(HttpResponse<String> r) {
        if (r.statusCode() == 404) {
            return;
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(r.body())).isEmpty();
    }

    static boolean isMissing(String key) {
        try {
            store.head(key).await();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void aCompletionThatDoesNotMatchWhatS3HoldsIsRefused() throws Exception {
        String key = "Upload Band/Cheat/01 - Small Parts.mp3";
        String id = create(key, 10 * MIB).getString("uploadId");
        JsonObject urls = sign(id, key, 1, 2);
        String e1 = put(urls.getString("1"), S3TestSupport.randomBytes(MIB, 2)).headers().firstValue("ETag").orElseThrow();
        String e2 = put(urls.getString("2"), S3TestSupport.randomBytes(MIB, 3)).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> small = call("POST", "/api/admin/uploads/" + id + "/complete", new JsonObject().put("key", key)
            .put("parts", new JsonArray().add(new JsonObject().put("partNumber", 1).put("etag", e1))
                .add(new JsonObject().put("partNumber", 2).put("etag", e2))).encode(), admin);
        assertThat(small.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(small.body()).getString("message")).contains("at least 5242880");
        HttpResponse<String> wrongTag = call("POST", "/api/admin/uploads/" + id + "/complete", new JsonObject().put("key", key)
            .put("parts", new JsonArray().add(new JsonObject().put("partNumber", 1).put("etag", "\"0123abcd\""))).encode(), admin);
        assertThat(wrongTag.statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/uploads/" + id + "/complete", new JsonObject().put("key", key)
            .put("parts", new JsonArray().add(new JsonObject().put("partNumber", 2).put("etag", e2))
                .add(new JsonObject().put("partNumber", 1).put("etag", e1))).encode(), admin).statusCode()).isEqualTo(400);
        assertThat(isMissing(key)).isTrue();
        call("DELETE", path(id, "", key), null, admin);
    }

    @Test
    void aListenerAndAnonymousCallerAreRefused() throws Exception {
        String body = new JsonObject().put("key", "A/B/01 x.mp3").put("size", 10).encode();
        assertThat(call("POST", "/api/admin/uploads", body, student).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/admin/uploads", body, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/admin/uploads/x/parts?key=A/B/01%20x.mp3", null, student).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/admin/uploads/x/complete", "{}", student).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/api/admin/uploads/x?key=A/B/01%20x.mp3", null, student).statusCode()).isEqualTo(403);
    }

    @Test
    void badKeysSizesAndBodiesAre400AndStartNothing() throws Exception {
        for (String key : List.of(".s3music/accounts/admin.json", ".s3music/x.mp3", "../up.mp3", "A/../B/x.mp3",
            "/abs/x.mp3", "A/B/notes.txt", "A/B/", "A/B/noext", "", "A/B/\u0007bell.mp3", "a".repeat(1030) + ".mp3")) {
            HttpResponse<String> r = call("POST", "/api/admin/uploads",
                new JsonObject().put("key", key).put("size", 100).encode(), admin);
            assertThat(r.statusCode()).as(key).isEqualTo(400);
        }
        for (Object size : List.of(0, -1, 50L * 1024 * 1024 * 1024 + 1, "10", 1.5)) {
            assertThat(call("POST", "/api/admin/uploads", new JsonObject().put("key", "A/B/01 x.mp3").put("size", size)
                .encode(), admin).statusCode()).as(String.valueOf(size)).isEqualTo(400);
        }
        assertThat(call("POST", "/api/admin/uploads", "{not json", admin).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/uploads", "[]", admin).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/uploads", new JsonObject().put("key", "A/B/01 x.mp3").put("size", 10)
            .put("contentType", "text/html\r\nX: y").encode(), admin).statusCode()).isEqualTo(400);
        // images are fine; the content type follows the extension when none is given
        assertThat(call("POST", "/api/admin/uploads", new JsonObject().put("key", "A/B/cover.jpg").put("size", 10)
            .encode(), admin).statusCode()).isEqualTo(201);

        String key = "Upload Band/Bad/01 - x.mp3";
        String id = create(key, 10).getString("uploadId");
        for (JsonArray numbers : List.of(new JsonArray(), new JsonArray().add(0), new JsonArray().add(10_001),
            new JsonArray().add("1"), new JsonArray(new ArrayList<>(java.util.Collections.nCopies(101, 1))))) {
            assertThat(call("POST", "/api/admin/uploads/" + id + "/parts", new JsonObject().put("key", key)
                .put("partNumbers", numbers).encode(), admin).statusCode()).as(numbers.encode()).isEqualTo(400);
        }
        assertThat(call("POST", "/api/admin/uploads/" + id + "/parts", new JsonObject().put("key", ".s3music/x.mp3")
            .put("partNumbers", new JsonArray().add(1)).encode(), admin).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/admin/uploads/" + id + "/parts", null, admin).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/admin/uploads/" + id + "/complete", new JsonObject().put("key", key)
            .put("parts", new JsonArray()).encode(), admin).statusCode()).isEqualTo(400);
        // an unknown upload id
        assertNoSuchUpload(call("GET", path("nosuchupload", "/parts", key), null, admin));
        assertThat(call("DELETE", path(id, "", key), null, admin).statusCode()).isEqualTo(204);
    }

    @Test
    void partSizesKeepEveryFileUnderTenThousandParts() {
        assertThat(UploadRules.partSize(1)).isEqualTo(UploadRules.PREFERRED_PART_SIZE);
        assertThat(UploadRules.partCount(1, UploadRules.partSize(1))).isEqualTo(1);
        long max = UploadRules.MAX_UPLOAD_BYTES;
        long part = UploadRules.partSize(max);
        assertThat(part % MIB).isZero();
        assertThat(UploadRules.partCount(max, part)).isLessThanOrEqualTo(10_000);
        assertThat(UploadRules.partCount(100L * 8 * MIB + 1, UploadRules.PREFERRED_PART_SIZE)).isEqualTo(101);
    }
}
