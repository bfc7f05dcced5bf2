package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.indexer.event.S3EventJson;
import dev.s3music.model.Ids;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault test of issue 9 (item 8): Redis stopped for 60 s under traffic, end to end on real servers (redis-server,
 * S3Proxy, ElasticMQ) with {@code ROLE=all}, {@code USE_REDIS=true} and a real bucket and queue as in production.
 * Redis is frozen with SIGSTOP (a hung or partitioned Redis: connections stay open and nothing answers, the worst
 * case for callers, and its data survives as across a failover), then resumed with SIGCONT.
 * <ul>
 *   <li>API requests during the outage answer 503 within {@code REDIS_TIMEOUT} plus a margin;</li>
 *   <li>a stream already in flight finishes byte-exact (the song was resolved before; S3 is up);</li>
 *   <li>uploads made during the outage (S3 PUT + notification) appear after it, long before their messages'
 *       visibility timeout (120 s) would bring them back: the indexer sees its dependency return and asks for a
 *       reconcile, one for the cluster under the Redis lease.</li>
 * </ul>
 */
class RedisOutageFaultTest {

    /** The admin's session, signed in right after the start (before Redis stops). */
    private String bearer;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** "Fast": the Redis deadline plus a margin for a loaded 2-core machine. */
    private static final Duration FAST = REDIS_TIMEOUT.plusSeconds(4);
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private RedisServerProcess redis;
    private EmbeddedS3 s3;
    private EmbeddedSqs sqs;
    private SqsAsyncClient sqsClient;
    private S3AsyncClient s3Client;
    private SqsClients.Queues queues;
    private MusicServer server;
    private long redisPid;
    private boolean frozen;
    private final Map<String, String> savedProperties = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
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
        for (String[] p : new String[][] {{"aws.accessKeyId", s3.accessKey()}, {"aws.secretAccessKey", s3.secretKey()}}) {
            savedProperties.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
        Process info = new ProcessBuilder("redis-cli", "-p", String.valueOf(redis.port()), "info", "server").start();
        String text = new String(info.getInputStream().readAllBytes());
        assertThat(info.waitFor(10, TimeUnit.SECONDS)).isTrue();
        redisPid = text.lines().filter(l -> l.startsWith("process_id:"))
            .map(l -> Long.parseLong(l.substring(11).strip())).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (frozen) {
                signal("CONT");
            }
            if (server != null) {
                server.close();
            }
        } finally {
            savedProperties.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
            s3Client.close();
            sqsClient.close();
            sqs.close();
            s3.close();
            redis.close();
        }
    }

    private void signal(String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(redisPid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        frozen = sig.equals("STOP");
    }

    @Test
    void redisStoppedFor60sUnderTraffic() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
            "ROLE", "all", "HTTP_PORT", "0", "HTTP_INSTANCES", "1",
            "S3_BUCKET", "music", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", s3.endpoint().toString(),
            "AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString(),
            "USE_REDIS", "true", "REDIS_URL", redis.uri(), "REDIS_TIMEOUT", REDIS_TIMEOUT.toMillis() + "ms"));
        env.put("SQS_QUEUE_URL", queues.queueUrl());
        env.put("SQS_DLQ_URL", queues.deadLetterQueueUrl());
        env.put("SHUTDOWN_GRACE", "5s");
        server = MusicServer.start(TestSignIn.config(env));
        bearer = TestSignIn.bearer(URI.create("http://127.0.0.1:" + server.httpPort()));

        // a 6 MB song, indexed before the outage
        byte[] mp3 = Files.readAllBytes(Path.of("demo-library/Ada Sine/First Waves/01 - Morning Tone.mp3"));
        byte[] big = Arrays.copyOf(mp3, 6 * 1024 * 1024);
        new Random(7).nextBytes(big); // random audio past the real file: only the bytes matter here
        System.arraycopy(mp3, 0, big, 0, mp3.length);
        String bigKey = "Before/Outage/01 - Long.mp3";
        upload(bigKey, big, "0010");
        waitUntil("the first song in the API", Duration.ofSeconds(60), () -> artists() == 1);

        // a stream in flight: headers and the first bytes read, the rest read during the outage
        HttpResponse<InputStream> stream = HTTP.send(get("/api/songs/" + Ids.song(bigKey) + "/stream"),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        InputStream body = stream.body();
        byte[] first = body.readNBytes(64 * 1024);

        signal("STOP");
        long outageStart = System.nanoTime();
        List<Long> apiMillis = new ArrayList<>();
        List<Integer> apiStatuses = new ArrayList<>();
        List<Integer> uncachedStatuses = new ArrayList<>();
        // uploads during the outage: S3 takes them, their notifications fail on Redis
        List<String> during = List.of("During/Outage/01 - One.mp3", "During/Outage/02 - Two.mp3", "Later/Album/03 - Three.mp3");
        for (int i = 0; i < during.size(); i++) {
            upload(during.get(i), mp3, "002" + i);
        }
        // one more upload whose notification is already dead-lettered, as a 10-minute outage does to every message
        // (5 receives, 120 s apart; SIGSTOP keeps the commands sent meanwhile, which a frozen Redis runs when it
        // resumes, so only this one depends on the reconcile after the outage)
        String lost = "Lost/Notification/01 - Four.mp3";
        upload(lost, mp3, "0030", queues.deadLetterQueueUrl());
        // the stream goes on while Redis is frozen
        byte[] rest = body.readAllBytes();
        long streamDoneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart);
        byte[] got = new byte[first.length + rest.length];
        System.arraycopy(first, 0, got, 0, first.length);
        System.arraycopy(rest, 0, got, first.length, rest.length);
        assertThat(got.length).isEqualTo(big.length);
        assertThat(Arrays.equals(got, big)).as("stream byte-exact").isTrue();

        // API traffic for the rest of the outage (bounded: the loop ends with the outage)
        while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
            for (String path : List.of("/api/artists", "/api/search?q=outage", "/api/songs/" + Ids.song(bigKey))) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = HTTP.send(get(path), HttpResponse.BodyHandlers.ofString());
                apiMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                apiStatuses.add(r.statusCode());
                if (path.startsWith("/api/search")) {
                    uncachedStatuses.add(r.statusCode()); // asked first during the outage: no L1 entry to serve
                } else if (r.statusCode() == 200) {
                    // the catalog L1 (CATALOG_CACHE_SIZE) may answer what it held before the outage: then correctly
                    assertThat(r.body()).as(path).contains(path.equals("/api/artists") ? "\"total\":1" : "Long");
                }
            }
            Thread.sleep(1000);
        }
        signal("CONT");
        long back = System.nanoTime();

        // artists: Before, During, Later, Lost
        waitUntil("the uploads made during the outage in the API", Duration.ofSeconds(60), () -> artists() == 4);
        long appearedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        JsonObject rescan = new JsonObject(HTTP.send(get("/api/admin/rescan"), HttpResponse.BodyHandlers.ofString()).body());
        long maxApi = apiMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
        System.out.printf("redis outage: %d API requests during %d s, statuses %s, max %d ms, median %d ms; "
                + "6 MB stream in flight finished %d ms into the outage, byte-exact; 4 uploads made during the outage "
                + "appeared %d ms after Redis returned; rescan status %s%n",
            apiMillis.size(), OUTAGE.toSeconds(), apiStatuses.stream().distinct().toList(), maxApi,
            apiMillis.stream().sorted().toList().get(apiMillis.size() / 2), streamDoneMs, appearedMs, rescan.encode());

        // every answer is fast and either a clear 503 or, for what the catalog L1 held before the outage, the
        // held answer; a read nothing held fails with 503 every time
        assertThat(apiStatuses).isNotEmpty().allMatch(s -> s == 503 || s == 200);
        assertThat(uncachedStatuses).isNotEmpty().allMatch(s -> s == 503);
        assertThat(maxApi).isLessThan(FAST.toMillis());
        // the messages' visibility timeout (120 s) had not brought them back: the reconcile after the outage did
        assertThat(appearedMs).isLessThan(60_000);
        assertThat(rescan.getString("runId")).isNotNull();
        assertThat(rescan.getString("state")).isIn("running", "done");
        assertThat(status("/api/songs/" + Ids.song(lost))).isEqualTo(200);

        // the admin sees the dead-lettered message and moves it back (applied again: idempotent)
        JsonObject dlq = new JsonObject(HTTP.send(get("/api/admin/dlq"), HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<String> redrive = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpPort() + "/api/admin/dlq/redrive")).header("Authorization", bearer)
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.printf("dlq before redrive %s, redrive %d %s%n", dlq.encode(), redrive.statusCode(), redrive.body());
        assertThat(dlq.getLong("messages")).isEqualTo(1);
        assertThat(redrive.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(redrive.body()).getLong("moved")).isEqualTo(1);
        assertThat(new JsonObject(redrive.body()).getLong("remaining")).isZero();
    }

    private void upload(String key, byte[] bytes, String sequencer) throws Exception {
        upload(key, bytes, sequencer, queues.queueUrl());
    }

    private void upload(String key, byte[] bytes, String sequencer, String queueUrl) throws Exception {
        String etag = s3Client.putObject(PutObjectRequest.builder().bucket("music").key(key).build(),
            AsyncRequestBody.fromBytes(bytes)).get(20, TimeUnit.SECONDS).eTag();
        sqsClient.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(
            S3EventJson.created("music", key, bytes.length, etag.replace("\"", ""), sequencer, Instant.now())).build())
            .get(20, TimeUnit.SECONDS);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Authorization", bearer).timeout(Duration.ofSeconds(30)).build();
    }

    private int status(String path) throws Exception {
        return HTTP.send(get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private long artists() {
        try {
            HttpResponse<String> r = HTTP.send(get("/api/artists"), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new JsonObject(r.body()).getLong("total") : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void waitUntil(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + max + " waiting for " + what);
    }
}
