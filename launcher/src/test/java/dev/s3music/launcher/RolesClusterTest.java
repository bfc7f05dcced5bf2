package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.indexer.event.S3EventJson;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three production roles, each a {@link MusicServer} as {@code Main} builds it from its environment, clustered
 * over Hazelcast on 127.0.0.1 in this JVM, on shared Redis, S3Proxy, ElasticMQ and the fake Discogs: an upload with
 * its S3 notification reaches the API through the indexer, the indexer's fact reaches the worker, the worker's
 * Discogs answer reaches the API through Redis, a rescan command crosses the event bus, and every role's
 * readiness names its checks. (Separate processes: the cluster-tests module.)
 */
class RolesClusterTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisServerProcess redis;
    private static EmbeddedS3 s3;
    private static EmbeddedSqs sqs;
    private static SqsAsyncClient sqsClient;
    private static S3AsyncClient s3Client;
    private static SqsClients.Queues queues;
    private static Vertx fakeVertx;
    private static FakeDiscogs discogs;
    private static final List<MusicServer> servers = new ArrayList<>();
    private static final Map<String, String> savedProperties = new HashMap<>();

    @BeforeAll
    static void startDependencies() throws Exception {
        redis = RedisServerProcess.start();
        s3 = EmbeddedS3.inMemory();
        s3.createBucket("music");
        sqs = EmbeddedSqs.start();
        sqsClient = SqsClients.create(sqs.endpoint(), "us-east-1", true);
        queues = SqsClients.createWithDeadLetterQueue(sqsClient, SqsClients.QUEUE_NAME, 5);
        s3Client = S3AsyncClient.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
            .build();
        fakeVertx = Vertx.vertx();
        discogs = FakeDiscogs.start(fakeVertx).await(20, TimeUnit.SECONDS);
        // the roles use the SDK's default credentials chain, as on AWS; its system properties stand in for the
        // task role here (S3Proxy checks them, ElasticMQ takes any)
        setProperty("aws.accessKeyId", s3.accessKey());
        setProperty("aws.secretAccessKey", s3.secretKey());
    }

    private static void setProperty(String name, String value) {
        savedProperties.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (MusicServer s : servers) {
            s.close();
        }
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (fakeVertx != null) {
            fakeVertx.close().await(20, TimeUnit.SECONDS);
        }
        if (s3Client != null) {
            s3Client.close();
        }
        if (sqsClient != null) {
            sqsClient.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static Map<String, String> roleEnv(String role) {
        Map<String, String> env = new HashMap<>(Map.of(
            "ROLE", role, "HTTP_PORT", "0", "HTTP_INSTANCES", "1",
            "S3_BUCKET", "music", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", s3.endpoint().toString(),
            "AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString(),
            "USE_REDIS", "true", "REDIS_URL", redis.uri()));
        env.putAll(Map.of("CLUSTERED", "true", "CLUSTER_MEMBERS", "127.0.0.1", "CLUSTER_HOST", "127.0.0.1",
            "CLUSTER_JOIN_WAIT", "1s", "SHUTDOWN_GRACE", "5s"));
        return env;
    }

    @Test
    void anUploadFlowsThroughIndexerWorkerAndApiAcrossTheCluster() throws Exception {
        Map<String, String> indexerEnv = roleEnv("indexer");
        indexerEnv.put("SQS_QUEUE_URL", queues.queueUrl());
        indexerEnv.put("SQS_DLQ_URL", queues.deadLetterQueueUrl());
        Map<String, String> workerEnv = roleEnv("metadata-worker");
        workerEnv.put("DISCOGS_URL", discogs.baseUrl());
        workerEnv.put("DISCOGS_TOKEN", "test-token");
        MusicServer indexer = start(indexerEnv);
        MusicServer worker = start(workerEnv);
        MusicServer api = start(roleEnv("api"));
        waitUntil("three members", () -> api.clusterManager().getNodes().size() == 3);

        // every role's readiness says what it checked
        assertThat(readyChecks(api)).containsExactlyInAnyOrder("redis", "s3", "cluster");
        assertThat(readyChecks(indexer)).containsExactlyInAnyOrder("redis", "s3", "sqs", "cluster");
        assertThat(readyChecks(worker)).containsExactlyInAnyOrder("redis", "s3", "cluster");
        assertThat(getJson(worker.managementPort(), "/health/ready").getJsonObject("checks").getJsonObject("s3").getString("target"))
            .endsWith("prefix .s3music/cache/");

        // an upload and its notification, as S3 would send it
        byte[] audio = Files.readAllBytes(Path.of("demo-library/Ada Sine/First Waves/01 - Morning Tone.mp3"));
        String key = "Coldplay/Parachutes/01 - Morning Tone.mp3";
        String etag = s3Client.putObject(PutObjectRequest.builder().bucket("music").key(key).build(),
            AsyncRequestBody.fromBytes(audio)).get(20, TimeUnit.SECONDS).eTag();
        sqsClient.sendMessage(SendMessageRequest.builder().queueUrl(queues.queueUrl()).messageBody(
            S3EventJson.created("music", key, audio.length, etag.replace("\"", ""), "0055AED6DCD90281E5",
                Instant.now())).build()).get(20, TimeUnit.SECONDS);

        waitUntil("the upload in the API", () -> getJson(api, "/api/artists").getLong("total") == 1);
        String artistId = getJson(api, "/api/artists").getJsonArray("items").getJsonObject(0).getString("id");
        // catalog.song.indexed (indexer) -> warm-up lookup (worker) -> Discogs -> Redis -> the API's reader
        waitUntil("Discogs details of the artist", () ->
            "ready".equals(getJson(api, "/api/artists/" + artistId).getString("metadataStatus")));
        assertThat(getJson(api, "/api/artists/" + artistId).getJsonObject("metadata").encode()).contains("Coldplay");

        // a command from the API to the indexer over the clustered event bus
        HttpResponse<String> rescan = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
            + "/api/admin/rescan")).header("Authorization", bearer(api)).POST(HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(rescan.statusCode()).as(rescan.body()).isEqualTo(202);

        // the worker leaves: the others see the cluster shrink, and their readiness stays up
        worker.shutdownGracefully();
        servers.remove(worker);
        waitUntil("two members", () -> api.clusterManager().getNodes().size() == 2);
        assertThat(status(api, "/health/ready")).isEqualTo(200);
    }

    private static MusicServer start(Map<String, String> env) throws Exception {
        MusicServer s = MusicServer.start(TestSignIn.config(env));
        servers.add(s);
        return s;
    }

    private static List<String> readyChecks(MusicServer s) throws Exception {
        // the details are on the management port (the worker's and indexer's only port, the API's MANAGEMENT_PORT)
        JsonObject ready = getJson(s.managementPort(), "/health/ready");
        assertThat(ready.getString("status")).as(ready.encode()).isEqualTo("up");
        return new ArrayList<>(ready.getJsonObject("checks").fieldNames());
    }

    private static int status(MusicServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The admin's {@code Bearer <token>} on an API server, signed in once. */
    private static String bearer(MusicServer s) {
        return BEARERS.computeIfAbsent(s, api -> {
            try {
                return TestSignIn.bearer(URI.create("http://127.0.0.1:" + api.httpPort()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final Map<MusicServer, String> BEARERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** An API path signed in as the admin, or a health path (no sign-in) on the API port. */
    private static JsonObject getJson(MusicServer s, String path) {
        return getJson(s.httpPort(), path, path.startsWith("/api/") ? bearer(s) : null);
    }

    /** A path without sign-in (the management port's health details and metrics). */
    private static JsonObject getJson(int port, String path) {
        return getJson(port, path, null);
    }

    private static JsonObject getJson(int port, String path, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
            if (bearer != null) {
                b.header("Authorization", bearer);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new JsonObject(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e, e);
        }
    }

    private static void waitUntil(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
