package dev.s3music.localstack;

import dev.s3music.launcher.LauncherConfig;
import dev.s3music.launcher.MusicServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on LocalStack: a bucket configured to notify an SQS queue, the server ({@code ROLE=all}, as
 * {@code Main} builds it from its environment) on that bucket and queue, an upload through the S3 API, and the song
 * in the API. No folder watcher runs (the bucket is not the embedded one) and no event is made by hand: only
 * LocalStack's notification can bring the upload, made after the start-up reconcile of the empty bucket.
 */
@LocalStackTest
class S3NotificationsEndToEndTest {

    private static final String BUCKET = "music-e2e";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, String> savedProperties = new HashMap<>();

    static S3Client s3;
    static SqsClient sqs;
    static String queueUrl;
    static MusicServer server;

    @BeforeAll
    static void start() {
        s3 = LocalStack.s3();
        sqs = LocalStack.sqs();
        queueUrl = LocalStack.createQueue(sqs, "music-e2e-events");
        LocalStack.bucketNotifyingQueue(s3, sqs, BUCKET, queueUrl);
        // the server uses the SDK's default credentials chain, as with a task role on AWS
        LocalStack.credentialProperties().forEach((k, v) -> {
            savedProperties.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void anUploadThroughTheS3ApiReachesTheApiThroughTheBucketNotification() throws Exception {
        server = MusicServer.start(LauncherConfig.fromEnv(Map.of(
            "ROLE", "all", "HTTP_PORT", "0", "HTTP_INSTANCES", "1",
            "S3_BUCKET", BUCKET, "AWS_REGION", LocalStack.region(),
            "AWS_ENDPOINT_URL", LocalStack.endpoint().toString(),
            "SQS_QUEUE_URL", queueUrl,
            "SHUTDOWN_GRACE", "5s")));
        assertThat(getJson("/api/artists").getLong("total")).as("the bucket starts empty").isZero();

        Path demo = Path.of(System.getProperty("localstack.demoLibrary", "../launcher/demo-library"));
        String key = "Ada Sine/First Waves/01 - Morning Tone.mp3";
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("audio/mpeg"),
            RequestBody.fromBytes(Files.readAllBytes(demo.resolve(key))));

        LocalStackSqsIndexerTest.waitUntil("the upload in the API", () -> {
            try {
                return getJson("/api/artists").getLong("total") == 1;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        JsonObject artist = getJson("/api/artists").getJsonArray("items").getJsonObject(0);
        assertThat(artist.getString("name")).isEqualTo("Ada Sine");
    }

    private static JsonObject getJson(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpPort() + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new JsonObject(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e, e);
        }
    }
}
