package dev.s3music.cluster;

import dev.s3music.fakediscogs.FakeDiscogs;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's "done when": two of each role as separate JVMs clustered over TCP on 127.0.0.1, with redis-server,
 * S3Proxy, ElasticMQ and the fake Discogs. The methods run in order on one cluster: uploads with SIGKILLs mid-work,
 * then lookups, then the Discogs budget, then a SIGTERM during streams (last: it stops an API).
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndTest {

    private static final int SONGS = 200;
    private static final int ALBUMS_PER_ARTIST = 2;
    /** The SIGKILLs come when this many songs are visible through api-1. */
    private static final int KILL_AFTER_VISIBLE = 60;
    private static final int BURST = 20;
    /**
     * Discogs budget for the whole cluster: at most RATE calls in any WINDOW. The launcher fixes the window at
     * Discogs' minute ({@code DISCOGS_RATE} is per minute), so the test also checks the limiter's pacing, which
     * binds within seconds: one grant per WINDOW/RATE for both workers together, so any PACING_WINDOW holds at most
     * PACING_WINDOW/(WINDOW/RATE) calls plus the limiter's one slot of tolerance, plus one late arrival at each edge
     * (a call's arrival at the fake trails its grant).
     * Two workers each pacing on their own would show about twice that.
     */
    private static final int DISCOGS_RATE = 60;
    private static final Duration DISCOGS_WINDOW = Duration.ofSeconds(60);
    private static final Duration PACING_WINDOW = Duration.ofSeconds(10);
    /**
     * A lookup the SIGKILLed worker held stays in flight until its lease expires, then the other worker's recovery
     * (every 15 s) queues it again. The test asks for 10 s leases with {@code LOOKUP_LEASE}; the launcher does not
     * read it yet (workers use WorkerConfig's production 5 minutes), so the bound covers 5 min + 15 s + slack.
     */
    private static final Duration LOOKUP_LEASE = Duration.ofSeconds(10);
    private static final Duration LOOKUPS_BOUND = Duration.ofMinutes(5).plusSeconds(15 + 60);
    /** The lookup queue's keys: the launcher's prefix as redis-store tags it (one cluster slot). */
    private static final String LOOKUP_PREFIX = dev.s3music.redis.RedisKeys.hashTagged("s3music:metadata:");
    private static final int LARGE_OBJECT_BYTES = 6 * 1024 * 1024;
    private static final int SLOW_STREAMS = 4;

    private LocalCluster cluster;
    private Redis redisClient;
    private ServerProcess api1;
    private ServerProcess api2;
    private ServerProcess indexer1;
    private ServerProcess indexer2;
    private ServerProcess worker1;
    private ServerProcess worker2;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cluster-test-background");
        t.setDaemon(true);
        return t;
    });

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.err.println("FAILED " + context.getDisplayName() + ": " + cause + cluster.logTails(80));
            }
        }
    };

    @BeforeAll
    void startCluster() throws Exception {
        Path workDir = Path.of(System.getProperty("cluster.workDir", "target/cluster"));
        deleteTree(workDir);
        cluster = new LocalCluster(LocalCluster.privateCopyOfServerJar(workDir), workDir);
        try {
            cluster.startServices();
            // the fake answers 429 beyond Discogs' own limit per minute; ours must never reach it
            cluster.discogs().rateLimit(DISCOGS_RATE * (int) (Duration.ofMinutes(1).toMillis() / DISCOGS_WINDOW.toMillis()));
            cluster.discogs().latency(Duration.ofMillis(100));
            var apiA = cluster.plan("api", "api-1");
            var apiB = cluster.plan("api", "api-2");
            var idxA = cluster.plan("indexer", "indexer-1");
            var idxB = cluster.plan("indexer", "indexer-2");
            var wrkA = cluster.plan("metadata-worker", "worker-1");
            var wrkB = cluster.plan("metadata-worker", "worker-2");
            Map<String, String> worker = Map.of(
                "DISCOGS_RATE", String.valueOf(DISCOGS_RATE),
                "LOOKUP_LEASE", LOOKUP_LEASE.toSeconds() + "s");
            api1 = cluster.start(apiA, Map.of());
            api2 = cluster.start(apiB, Map.of());
            indexer1 = cluster.start(idxA, Map.of());
            indexer2 = cluster.start(idxB, Map.of());
            worker1 = cluster.start(wrkA, worker);
            worker2 = cluster.start(wrkB, worker);
            Duration took = cluster.awaitReady(cluster.processes(), Duration.ofSeconds(180));
            System.out.println("six server processes ready in " + took.toMillis() + " ms");
        } catch (Throwable e) {
            System.err.println("cluster start failed: " + e + cluster.logTails(80));
            throw e;
        }
    }

    @AfterAll
    void stopCluster() {
        background.shutdownNow();
        if (redisClient != null) {
            redisClient.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyUploadIsSeenThroughBothApisAndTheCatalogEqualsTheBucketAfterAnIndexerAndAWorkerAreKilled() throws Exception {
        List<Library.Upload> plan = Library.plan(Library.demoLibrary(), SONGS, ALBUMS_PER_ARTIST);
        Set<String> planned = plan.stream().map(Library.Upload::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(planned).hasSize(SONGS);
        S3Notifications notifications = new S3Notifications(LocalCluster.BUCKET, LocalCluster.REGION);

        // uploads in bursts of 20 (PUTs, then their 20 notifications in two batches) about once a second, so both
        // indexers hold received messages at once when the kill comes
        Future<?> uploads = background.submit(() -> {
            for (int from = 0; from < plan.size(); from += BURST) {
                List<String> bodies = new ArrayList<>();
                for (Library.Upload u : plan.subList(from, Math.min(plan.size(), from + BURST))) {
                    String eTag = cluster.s3().putObject(b -> b.bucket(LocalCluster.BUCKET).key(u.key()),
                        RequestBody.fromFile(u.body())).eTag();
                    bodies.add(notifications.created(u.key(), u.body().toFile().length(), eTag));
                }
                for (int i = 0; i < bodies.size(); i += 10) {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int j = i; j < Math.min(bodies.size(), i + 10); j++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
                    }
                    var sent = cluster.sqs().sendMessageBatch(b -> b.queueUrl(cluster.queueUrl()).entries(entries));
                    assertThat(sent.failed()).as("notifications refused by SQS").isEmpty();
                }
                sleep(1000);
            }
            return null;
        });

        Api a1 = new Api(api1.http());
        Api a2 = new Api(api2.http());
        Waits.until(KILL_AFTER_VISIBLE + " songs visible through api-1", Duration.ofSeconds(90), Duration.ofMillis(250),
            () -> {
                int visible = intersection(a1.catalogKeys(), planned).size();
                return Waits.Check.of(visible >= KILL_AFTER_VISIBLE, visible + " visible");
            });
        // kill while a burst is being indexed: many messages received and not yet deleted, so indexer-1 holds some
        int[] inFlightAtKill = {-1};
        try {
            Waits.until("a burst of events in flight", Duration.ofSeconds(15), Duration.ofMillis(10), () -> {
                int inFlight = Integer.parseInt(queueDepth(cluster.queueUrl())
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                if (inFlight >= 10) {
                    indexer1.kill();
                    inFlightAtKill[0] = inFlight;
                }
                return Waits.Check.of(inFlight >= 10, inFlight + " events in flight");
            });
        } catch (AssertionError notSeen) {
            indexer1.kill();
            System.out.println("indexer-1 killed without seeing a burst in flight: " + notSeen.getMessage());
        }
        System.out.println("SIGKILL indexer-1 with " + inFlightAtKill[0] + " events in flight, "
            + intersection(a1.catalogKeys(), planned).size() + " of " + SONGS + " visible");
        // each worker runs one lookup loop: two lookups in flight means worker-1 holds one when it dies
        boolean[] held = {false};
        try {
            Waits.until("both workers holding a lookup", Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
                long inFlight = lookupQueue().get("inflight");
                held[0] = inFlight >= 2;
                return Waits.Check.of(held[0], inFlight + " in flight");
            });
        } catch (AssertionError notSeen) {
            System.out.println("worker-1 killed without seeing it hold a lookup: " + notSeen.getMessage());
        }
        worker1.kill();
        System.out.println("SIGKILL worker-1" + (held[0] ? " while both workers held a lookup" : "") + ", "
            + intersection(a1.catalogKeys(), planned).size() + " of " + SONGS + " visible");
        assertThat(indexer1.awaitExit(Duration.ofSeconds(10))).as("indexer-1 exit code after SIGKILL").isEqualTo(137);
        assertThat(worker1.awaitExit(Duration.ofSeconds(10))).as("worker-1 exit code after SIGKILL").isEqualTo(137);
        uploads.get(120, TimeUnit.SECONDS);

        Duration all = Waits.until("all " + SONGS + " songs through both APIs", Duration.ofSeconds(120),
            Duration.ofMillis(500), () -> {
                int v1 = intersection(a1.catalogKeys(), planned).size();
                int v2 = intersection(a2.catalogKeys(), planned).size();
                return Waits.Check.of(v1 == SONGS && v2 == SONGS, "api-1 " + v1 + ", api-2 " + v2);
            });
        System.out.println("every song visible through both APIs " + all.toMillis() + " ms after the kills");

        Set<String> bucket = bucketKeys();
        assertThat(bucket).isEqualTo(planned);
        assertThat(a1.catalogKeys()).as("api-1 catalog = bucket listing").isEqualTo(bucket);
        assertThat(a2.catalogKeys()).as("api-2 catalog = bucket listing").isEqualTo(bucket);

        Waits.until("the events queue drained (messages of the killed indexer back and done)", Duration.ofSeconds(60),
            Duration.ofMillis(500), () -> {
                Map<QueueAttributeName, String> q = queueDepth(cluster.queueUrl());
                return Waits.Check.of("0".equals(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), q.toString());
            });
        assertThat(queueDepth(cluster.dlqUrl()).get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .as("dead letters").isEqualTo("0");
    }

    @Test
    @Order(2)
    void everyQueuedLookupEndsDoneThoughAWorkerWasKilledHoldingLookups() {
        Api a1 = new Api(api1.http());
        Duration took = Waits.until("every lookup done: the Redis lookup queue empty and no artist or album pending",
            LOOKUPS_BOUND, Duration.ofSeconds(1), () -> {
                Map<String, Long> queue = lookupQueue();
                Map<String, String> statuses = a1.metadataStatuses();
                Map<String, Long> byStatus = statuses.values().stream()
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
                boolean empty = queue.get("pending") == 0 && queue.get("inflight") == 0 && queue.get("queued so far") > 0;
                return Waits.Check.of(empty && !statuses.containsValue("pending") && !statuses.isEmpty(),
                    "queue " + queue + ", statuses " + byStatus);
            });
        System.out.println("lookups done in " + took.toMillis() + " ms more; statuses " + a1.metadataStatuses());
        Map<String, String> statuses = a1.metadataStatuses();
        assertThat(statuses).containsEntry("artist Coldplay", "ready");
        assertThat(statuses.values()).allMatch(s -> s.equals("ready") || s.equals("not_found"));
        assertThat(new Api(api2.http()).metadataStatuses()).as("api-2 sees the same lookups").isEqualTo(statuses);
    }

    @Test
    @Order(3)
    void theDiscogsBudgetHoldsInEverySlidingWindowAcrossBothWorkers() {
        List<FakeDiscogs.Call> calls = cluster.discogs().calls();
        List<Long> times = calls.stream().map(FakeDiscogs.Call::nanos).sorted().toList();
        SlidingWindow.Peak peak = SlidingWindow.busiest(times, DISCOGS_WINDOW.toNanos());
        SlidingWindow.Peak pacing = SlidingWindow.busiest(times, PACING_WINDOW.toNanos());
        long slotMillis = DISCOGS_WINDOW.toMillis() / DISCOGS_RATE;
        int pacingBound = (int) (PACING_WINDOW.toMillis() / slotMillis) + 3;
        long spanMillis = times.isEmpty() ? 0 : (times.get(times.size() - 1) - times.get(0)) / 1_000_000;
        System.out.printf("Discogs: %d calls over %d ms, at most %d in any %d ms window (budget %d), at most %d in "
                + "any %d ms (pacing bound %d), 429s: %d%n",
            calls.size(), spanMillis, peak.count(), DISCOGS_WINDOW.toMillis(), DISCOGS_RATE, pacing.count(),
            PACING_WINDOW.toMillis(), pacingBound, calls.stream().filter(c -> c.status() == 429).count());
        assertThat(calls).as("the workers called Discogs").hasSizeGreaterThan(pacingBound);
        assertThat(peak.count()).as("calls in the busiest window, starting %d ms after the first call", peak.startMillis())
            .isLessThanOrEqualTo(DISCOGS_RATE);
        assertThat(pacing.count()).as("calls in the busiest %d ms, starting %d ms after the first call",
            PACING_WINDOW.toMillis(), pacing.startMillis()).isLessThanOrEqualTo(pacingBound);
        assertThat(calls).as("calls refused by Discogs").noneMatch(c -> c.status() == 429);
        assertThat(calls).as("every call carries the token").allMatch(c -> c.authorization() != null
            && c.authorization().contains(LocalCluster.DISCOGS_TOKEN));
    }

    @Test
    @Order(4)
    void sigtermOnAnApiTurnsReadinessTo503FirstAndLetsActiveStreamsFinish() throws Exception {
        byte[] large = new byte[LARGE_OBJECT_BYTES];
        new Random(5).nextBytes(large);
        String key = "Coldplay/Long Recordings/01 - Whole Concert.flac";
        upload(key, RequestBody.fromBytes(large), large.length, new S3Notifications(LocalCluster.BUCKET, LocalCluster.REGION));
        Api a2 = new Api(api2.http());
        Waits.until("the large song visible through api-2", Duration.ofSeconds(30), Duration.ofMillis(200),
            () -> Waits.Check.of(a2.songVisible(key), "not yet"));

        String path = "/api/songs/" + dev.s3music.model.Ids.song(key) + "/stream";
        List<SlowStream> readers = new ArrayList<>();
        List<Future<SlowStream.Result>> results = new ArrayList<>();
        for (int i = 0; i < SLOW_STREAMS; i++) {
            // 32 KiB every 40 ms: about 0.8 MB/s, about 8 s for the whole song
            SlowStream reader = new SlowStream("127.0.0.1", api2.http().getPort(), path, 32 * 1024, 40,
                a2.bearer());
            readers.add(reader);
            results.add(background.submit(reader));
        }
        Waits.until("every slow stream started", Duration.ofSeconds(15), Duration.ofMillis(50), () -> Waits.Check.of(
            readers.stream().allMatch(r -> r.bytesSoFar() > 256 * 1024),
            readers.stream().map(r -> String.valueOf(r.bytesSoFar())).collect(Collectors.joining(","))));

        // the CPU saturated beside the drain, as on a busy CI machine: one busy loop per core, bounded in time
        java.util.concurrent.atomic.AtomicBoolean burn = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Future<?>> burners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            burners.add(background.submit(() -> {
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long x = 0;
                while (burn.get() && System.nanoTime() < until) {
                    x += System.nanoTime() % 7;
                }
                return x;
            }));
        }
        long sigterm = System.nanoTime();
        api2.terminate();
        Waits.until("api-2 readiness 503 after SIGTERM", Duration.ofSeconds(10), Duration.ofMillis(50),
            () -> Waits.Check.of(a2.readyStatus() == 503, "not yet 503"));
        long ready503 = System.nanoTime();
        long unfinished = results.stream().filter(f -> !f.isDone()).count();
        assertThat(unfinished).as("streams still running when readiness turned 503").isEqualTo(SLOW_STREAMS);

        String expected = SlowStream.sha256(large);
        for (Future<SlowStream.Result> f : results) {
            SlowStream.Result r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.error()).as("stream error").isNull();
            assertThat(r.complete()).as("stream complete: %s", r).isTrue();
            assertThat(r.sha256()).as("stream body").isEqualTo(expected);
        }
        long streamsDone = System.nanoTime();
        burn.set(false);
        for (Future<?> b : burners) {
            b.get(10, TimeUnit.SECONDS);
        }
        int exit = api2.awaitExit(Duration.ofSeconds(45));
        assertThat(exit).as("api-2 exit after SIGTERM (-1: still running)").isNotEqualTo(-1);
        System.out.printf("SIGTERM: readiness 503 after %d ms, %d streams finished after %d ms, exit %d after %d ms%n",
            (ready503 - sigterm) / 1_000_000, SLOW_STREAMS, (streamsDone - sigterm) / 1_000_000, exit,
            (System.nanoTime() - sigterm) / 1_000_000);
        assertThat(new Api(api1.http()).songVisible(key)).as("api-1 still serves").isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void upload(String key, RequestBody body, long size, S3Notifications notifications) {
        String eTag = cluster.s3().putObject(b -> b.bucket(LocalCluster.BUCKET).key(key), body).eTag();
        cluster.sqs().sendMessage(b -> b.queueUrl(cluster.queueUrl()).messageBody(notifications.created(key, size, eTag)));
    }

    private Set<String> bucketKeys() {
        return cluster.s3().listObjectsV2Paginator(b -> b.bucket(LocalCluster.BUCKET)).contents().stream()
            .map(S3Object::key).filter(k -> !k.startsWith(".s3music/")).collect(Collectors.toCollection(TreeSet::new));
    }

    private Map<QueueAttributeName, String> queueDepth(String url) {
        return cluster.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    }

    /**
     * The lookup queue in Redis (prefix {@code {s3music:metadata:}}, redis-store README): sizes of the pending
     * and in-flight sorted sets (a missing key is an empty set: Redis deletes empty ones) and the job counter,
     * which proves lookups were queued under that prefix at all.
     */
    private Map<String, Long> lookupQueue() {
        Map<String, Long> sizes = new TreeMap<>();
        for (String set : List.of("pending", "inflight")) {
            sizes.put(set, redis(Request.cmd(Command.ZCARD).arg(LOOKUP_PREFIX + "queue:" + set)).toLong());
        }
        Response seq = redis(Request.cmd(Command.GET).arg(LOOKUP_PREFIX + "queue:seq"));
        sizes.put("queued so far", seq == null ? 0 : seq.toLong());
        return sizes;
    }

    /** One Redis command from the test thread (Vert.x 5 {@code await} blocks this non-Vert.x thread), 5 s bound. */
    private Response redis(Request request) {
        if (redisClient == null) {
            redisClient = Redis.createClient(cluster.vertx(), cluster.redis().uri());
        }
        return redisClient.send(request).timeout(5, TimeUnit.SECONDS).await();
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
