package dev.s3music.cluster;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.FreePorts;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.fakediscogs.FakeDiscogs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The cluster's surroundings on 127.0.0.1 and its server processes.
 *
 * <ul>
 *   <li>redis-server (a process), S3Proxy over a folder under {@code target/} and ElasticMQ (in this JVM), the
 *       fake Discogs (in this JVM, so its recorded call times can be read directly);</li>
 *   <li>the bucket, the events queue and its DLQ (redrive after {@link #MAX_RECEIVES} receives);</li>
 *   <li>server JVMs started from {@code music-server.jar}, each on its own HTTP, Hazelcast and event-bus ports,
 *       listing every member's Hazelcast port in {@code CLUSTER_MEMBERS}.</li>
 * </ul>
 * {@link #close()} kills every process and stops every service; a JVM shutdown hook does the same if the test JVM
 * is stopped first, so no server outlives the build.
 */
final class LocalCluster implements AutoCloseable {

    static final String BUCKET = "music";
    static final String REGION = "us-east-1";
    static final int MAX_RECEIVES = 5;
    static final String DISCOGS_TOKEN = "cluster-test-token";
    /** Small heaps and the C1 compiler only: six JVMs share two cores. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-Xss512k", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-XX:CICompilerCount=1", "-Djava.net.preferIPv4Stack=true");

    /** A role's process and the ports it was given. */
    record Member(String role, String name, int httpPort, int hazelcastPort, int eventBusPort) {
    }

    private final Path jar;
    private final Path workDir;
    private final List<AutoCloseable> services = new ArrayList<>();
    private final List<ServerProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private final java.util.Set<Integer> taken = new java.util.HashSet<>();
    private final java.util.Random random = new java.util.Random();
    private final Thread shutdownHook = new Thread(this::killAll, "cluster-test-kill");

    private RedisServerProcess redis;
    private EmbeddedS3 s3;
    private EmbeddedSqs sqs;
    private Vertx vertx;
    private FakeDiscogs discogs;
    private S3Client s3Client;
    private SqsClient sqsClient;
    private String queueUrl;
    private String dlqUrl;

    /**
     * Copies {@code music-server.jar} ({@code cluster.serverJar}) into {@code workDir}: a JVM loads classes lazily
     * from its jar, so a rebuild of the launcher while the processes run (another build on the machine) would
     * make them fail with NoClassDefFoundError.
     */
    static Path privateCopyOfServerJar(Path workDir) throws java.io.IOException {
        Path jar = Path.of(System.getProperty("cluster.serverJar", "../launcher/target/music-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no server jar at " + jar.toAbsolutePath()
                + " (build it: mvn -pl launcher -am package -DskipTests)");
        }
        Files.createDirectories(workDir);
        Path copy = workDir.resolve("music-server.jar");
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    LocalCluster(Path jar, Path workDir) {
        this.jar = jar;
        this.workDir = workDir;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Redis, S3, SQS (queue and DLQ) and the fake Discogs. */
    LocalCluster startServices() throws Exception {
        redis = RedisServerProcess.start();
        services.add(redis);
        Path s3Dir = workDir.resolve("s3");
        Files.createDirectories(s3Dir);
        s3 = EmbeddedS3.onFolder(s3Dir, "127.0.0.1", 0);
        services.add(s3);
        s3.createBucket(BUCKET);
        sqs = EmbeddedSqs.start();
        services.add(sqs);
        vertx = Vertx.vertx();
        discogs = FakeDiscogs.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        s3Client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(REGION))
            .credentialsProvider(credentials).forcePathStyle(true)
            .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        sqsClient = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.of(REGION))
            .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        dlqUrl = sqsClient.createQueue(b -> b.queueName("music-events-dlq")).queueUrl();
        String dlqArn = sqsClient.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = new JsonObject().put("maxReceiveCount", String.valueOf(MAX_RECEIVES))
            .put("deadLetterTargetArn", dlqArn).encode();
        // 10 s visibility: the messages a SIGKILLed indexer held come back within the test's bounds
        queueUrl = sqsClient.createQueue(b -> b.queueName("music-events").attributes(Map.of(
            QueueAttributeName.REDRIVE_POLICY, redrive, QueueAttributeName.VISIBILITY_TIMEOUT, "10"))).queueUrl();
        return this;
    }

    /** Reserves the ports of a member; call for every member before starting any, so all know each other. */
    Member plan(String role, String name) {
        Member m = new Member(role, name, listenPort(), listenPort(), listenPort());
        members.add(m);
        return m;
    }

    /**
     * A port for a server process to listen on, below Linux' ephemeral range (32768 up): the processes connect to
     * each other while they start, and an ephemeral port handed out by {@link FreePorts} could be taken by such an
     * outgoing connection before its owner binds it (seen: "Address already in use" joining the cluster).
     */
    private int listenPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            if (taken.contains(port)) {
                continue;
            }
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                taken.add(port);
                return port;
            } catch (java.io.IOException busy) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 after 200 tries");
    }

    /** The environment of a member, as deploy/README.md's contract names it, pointed at the local services. */
    Map<String, String> environment(Member m, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROLE", m.role());
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", String.valueOf(m.httpPort()));
        // API members start side by side: each its own free management port (readiness details, /metrics)
        env.put("MANAGEMENT_PORT", "0");
        env.put("HTTP_INSTANCES", "1");
        env.put("DEMO_LIBRARY", "false");
        env.put("S3_BUCKET", BUCKET);
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("SQS_QUEUE_URL", queueUrl);
        env.put("SQS_DLQ_URL", dlqUrl);
        env.put("USE_REDIS", "true");
        env.put("REDIS_URL", redis.uri());
        if (!"false".equals(extra.get("CLUSTERED"))) {
            env.put("CLUSTERED", "true");
            env.put("CLUSTER_MEMBERS", members.stream().map(x -> "127.0.0.1:" + x.hazelcastPort())
                .collect(Collectors.joining(",")));
            env.put("CLUSTER_HOST", "127.0.0.1");
            env.put("CLUSTER_JOIN_WAIT", "1s");
            env.put("HZ_NETWORK_PORT_PORT", String.valueOf(m.hazelcastPort()));
            env.put("HZ_NETWORK_PORT_AUTOINCREMENT", "false");
            env.put("EVENTBUS_HOST", "127.0.0.1");
            env.put("EVENTBUS_PORT", String.valueOf(m.eventBusPort()));
        }
        env.put("DISCOGS_URL", discogs.baseUrl());
        env.put("DISCOGS_TOKEN", DISCOGS_TOKEN);
        env.put("SHUTDOWN_GRACE", "30s");
        // every /api call needs a session: the API instances create this admin (the first to start; the others
        // find it), the tests sign in as it (Api)
        env.put("ADMIN_PASSWORD", Api.ADMIN_PASSWORD);
        env.put("LOG_LEVEL", "INFO");
        env.putAll(extra);
        return env;
    }

    ServerProcess start(Member m, Map<String, String> extra) throws Exception {
        ServerProcess p = ServerProcess.start(m.name(), jar, JVM_OPTIONS, environment(m, extra), m.httpPort(),
            workDir.resolve("logs"));
        processes.add(p);
        return p;
    }

    /** Waits until every given process answers 200 on /health/ready, failing early when one exits. */
    Duration awaitReady(List<ServerProcess> servers, Duration bound) {
        return Waits.until("readiness of " + servers, bound, Duration.ofMillis(500), () -> {
            List<String> notReady = new ArrayList<>();
            for (ServerProcess p : servers) {
                if (!p.alive()) {
                    throw new AssertionError(p + " exited while starting:\n" + p.tail(40));
                }
                int status;
                try {
                    status = new Api(p.http()).readyStatus();
                } catch (RuntimeException e) {
                    status = -1;
                }
                if (status != 200) {
                    notReady.add(p.name() + "=" + status);
                }
            }
            return Waits.Check.of(notReady.isEmpty(), "not ready: " + notReady);
        });
    }

    List<ServerProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    S3Client s3() {
        return s3Client;
    }

    SqsClient sqs() {
        return sqsClient;
    }

    String queueUrl() {
        return queueUrl;
    }

    String dlqUrl() {
        return dlqUrl;
    }

    FakeDiscogs discogs() {
        return discogs;
    }

    RedisServerProcess redis() {
        return redis;
    }

    Vertx vertx() {
        return vertx;
    }

    Path workDir() {
        return workDir;
    }

    /** Every process's log tail, for a failure report. */
    String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (ServerProcess p : processes) {
            b.append("\n===== ").append(p).append(", log ").append(p.log()).append(" (last ").append(lines)
                .append(" lines)\n").append(p.tail(lines)).append('\n');
        }
        return b.toString();
    }

    private void killAll() {
        processes.forEach(ServerProcess::destroy);
    }

    @Override
    public void close() {
        killAll();
        for (AutoCloseable c : List.of(closeable(s3Client), closeable(sqsClient))) {
            quietly(c);
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: the JVM ends soon after
            }
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            quietly(services.get(i));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private static AutoCloseable closeable(AutoCloseable c) {
        return c == null ? () -> { } : c;
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("while stopping " + c + ": " + e);
        }
    }
}
