package dev.s3music.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 item 13, against a real S3Proxy over a folder: a web page on another origin can neither plant a file
 * (form POST upload) nor delete one (a signed request carrying its Origin); S3 clients (no Origin) work; the old
 * well-known pair is no key; the server's own web origin is allowed, with CORS answers.
 */
class EmbeddedS3SecurityTest {

    private static final String BUCKET = "music";
    private static final String OWN = "http://127.0.0.1:8080";
    private static final String EVIL = "http://evil.example";

    @TempDir
    Path base;
    private EmbeddedS3 s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(base.resolve(BUCKET + "/A/B"));
        Files.writeString(base.resolve(BUCKET + "/A/B/01 real.mp3"), "real music");
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        s3.allowOrigins(List.of(OWN, "http://localhost:8080"));
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void aFormPostUploadFromAnotherOriginIsRefusedAndNoFileAppears() throws Exception {
        // a complete, validly signed browser form upload (the page knows the keys, as it knew the well-known pair)
        HttpResponse<String> evil = http.send(formPost("planted.mp3", EVIL), HttpResponse.BodyHandlers.ofString());
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("AccessDenied");
        // a form upload carrying no Origin is no S3 client either
        HttpResponse<String> noOrigin = http.send(formPost("planted2.mp3", null), HttpResponse.BodyHandlers.ofString());
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        // Origin: null (a sandboxed frame, a file:// page)
        assertThat(http.send(formPost("planted3.mp3", "null"), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(403);
        assertThat(Files.exists(base.resolve(BUCKET + "/planted.mp3"))).isFalse();
        assertThat(Files.exists(base.resolve(BUCKET + "/planted2.mp3"))).isFalse();
        assertThat(Files.exists(base.resolve(BUCKET + "/planted3.mp3"))).isFalse();
        try (S3AsyncClient client = client(s3.accessKey(), s3.secretKey(), null)) {
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET)).join().contents()).extracting(o -> o.key())
                .containsExactly("A/B/01 real.mp3");
        }

        // the same form from the server's own web origin is performed: the filter refuses by origin, not by shape
        HttpResponse<String> own = http.send(formPost("own.mp3", OWN), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as(own.body()).isBetween(200, 299);
        assertThat(Files.readString(base.resolve(BUCKET + "/own.mp3"))).isEqualTo("not music");
    }

    @Test
    void aSignedDeleteFromAnotherOriginIsRefusedAndTheFileStays() {
        try (S3AsyncClient evil = client(s3.accessKey(), s3.secretKey(), EVIL)) {
            S3Exception e = s3Failure(() -> evil.deleteObject(b -> b.bucket(BUCKET).key("A/B/01 real.mp3")).join());
            assertThat(e.statusCode()).isEqualTo(403);
            // refused by the filter, not by the signature: the answer says why
            assertThat(e.getMessage()).contains("web origin");
            S3Exception put = s3Failure(() -> evil.putObject(b -> b.bucket(BUCKET).key("A/B/02 planted.mp3"),
                AsyncRequestBody.fromString("x")).join());
            assertThat(put.statusCode()).isEqualTo(403);
            S3Exception get = s3Failure(() -> evil.getObject(b -> b.bucket(BUCKET).key("A/B/01 real.mp3"),
                AsyncResponseTransformer.toBytes()).join());
            assertThat(get.statusCode()).isEqualTo(403);
        }
        assertThat(Files.exists(base.resolve(BUCKET + "/A/B/01 real.mp3"))).isTrue();
        assertThat(Files.exists(base.resolve(BUCKET + "/A/B/02 planted.mp3"))).isFalse();
    }

    @Test
    void s3ClientsWithoutAnOriginWorkAndTheOwnOriginGetsCorsAnswers() throws Exception {
        try (S3AsyncClient sdk = client(s3.accessKey(), s3.secretKey(), null)) {
            sdk.putObject(b -> b.bucket(BUCKET).key("A/B/03 up.mp3"), AsyncRequestBody.fromString("uploaded")).join();
            assertThat(sdk.getObject(b -> b.bucket(BUCKET).key("A/B/03 up.mp3"), AsyncResponseTransformer.toBytes())
                .join().asUtf8String()).isEqualTo("uploaded");
            sdk.deleteObject(b -> b.bucket(BUCKET).key("A/B/03 up.mp3")).join();
        }
        try (S3AsyncClient own = client(s3.accessKey(), s3.secretKey(), "http://LOCALHOST:8080")) {
            var put = own.putObject(b -> b.bucket(BUCKET).key("A/B/04 own.mp3"),
                AsyncRequestBody.fromString("from the player")).join();
            assertThat(put.eTag()).isNotBlank();
        }
        assertThat(Files.readString(base.resolve(BUCKET + "/A/B/04 own.mp3"))).isEqualTo("from the player");

        HttpResponse<Void> preflight = http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/music/A/x.mp3"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", OWN)
            .header("Access-Control-Request-Method", "PUT")
            .header("Access-Control-Request-Headers", "authorization, x-amz-date, x-amz-content-sha256").build(),
            HttpResponse.BodyHandlers.discarding());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(OWN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
        HttpResponse<Void> evilPreflight = http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/music/A/x.mp3"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", EVIL)
            .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(evilPreflight.statusCode()).isEqualTo(403);
        assertThat(evilPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theOldWellKnownPairIsNoKeyAndEachInstanceHasItsOwn() throws Exception {
        try (S3AsyncClient old = client("local-access-key", "local-secret-key", null)) {
            S3Exception e = s3Failure(() -> old.listObjectsV2(b -> b.bucket(BUCKET)).join());
            assertThat(e.statusCode()).isEqualTo(403);
        }
        try (EmbeddedS3 other = EmbeddedS3.inMemory()) {
            assertThat(other.accessKey()).isNotEqualTo(s3.accessKey()).isNotEqualTo("local-access-key");
            assertThat(other.secretKey()).isNotEqualTo(s3.secretKey()).hasSizeGreaterThanOrEqualTo(40);
        }
    }

    /**
     * An AWS SDK client; {@code origin} non-null adds that Origin header before signing (as a browser would). Netty:
     * HttpURLConnection silently drops {@code Origin} (a restricted header), which would make such a test pass for
     * the wrong reason (a signature mismatch).
     */
    private S3AsyncClient client(String accessKey, String secretKey, String origin) {
        var builder = S3AsyncClient.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
            .region(Region.US_EAST_1).httpClientBuilder(NettyNioAsyncHttpClient.builder())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        if (origin != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                        ExecutionAttributes attributes) {
                    return context.httpRequest().toBuilder().putHeader("Origin", origin).build();
                }
            }));
        }
        return builder.build();
    }

    private static S3Exception s3Failure(Runnable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::run);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof S3Exception e) {
                return e;
            }
        }
        throw new AssertionError("expected an S3 error, got " + t, t);
    }

    /** A browser-style S3 POST Object form (signature V2 over the policy), as a page would submit it. */
    private HttpRequest formPost(String key, String origin) throws Exception {
        String policy = Base64.getEncoder().encodeToString(("{\"expiration\":\""
            + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\",\"conditions\":["
            + "{\"bucket\":\"" + BUCKET + "\"},[\"starts-with\",\"$key\",\"\"]]}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(s3.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(policy.getBytes(StandardCharsets.UTF_8)));
        String boundary = "----formboundary7MA4YWxkTrZu0gW";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : new String[][] {{"key", key}, {"AWSAccessKeyId", s3.accessKey()}, {"policy", policy},
            {"signature", signature}}) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.mp3\"\r\n"
            + "Content-Type: audio/mpeg\r\n\r\nnot music\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + BUCKET))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b.build();
    }
}
