package dev.s3music.metadata;

import dev.s3music.model.metadata.Priority;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.event.MetadataLookupReply;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers against a real redis-server and the fake Discogs, with a budget of 10 calls per second (instead of 60
 * per minute) so the checks run in seconds. Every check of the budget looks at every sliding window of the call
 * times the fake recorded.
 */
class WorkerClusterTest {

    private static RedisServerProcess redisServer;
    private static Vertx fakeVertx;
    private static FakeDiscogs fake;

    private final List<Vertx> workers = new ArrayList<>();
    private Vertx client;
    private Redis redis;
    private String prefix;
    private RedisLookupQueue queue;
    private RedisMetadataCache cache;

    @BeforeAll
    static void startServers() {
        redisServer = RedisServerProcess.start();
        fakeVertx = Vertx.vertx();
        fake = Await.result(FakeDiscogs.start(fakeVertx));
        fake.rateLimit(100_000); // the fake's own minute count would otherwise slow us: tested elsewhere
        for (int i = 0; i < 40; i++) {
            fake.addArtist(new JsonObject().put("id", 100_000L + i).put("name", "Band " + i).put("profile", "p" + i));
        }
    }

    @AfterAll
    static void stopServers() {
        Await.result(fakeVertx.close());
        redisServer.close();
    }

    @BeforeEach
    void setUp() {
        fake.clearCalls();
        client = Vertx.vertx();
        redis = Workers.redis(client, redisServer.uri());
        prefix = "{t" + UUID.randomUUID() + "}:"; // hash-tagged already: the adapters keep it, line "queue:inflight" below reads their key
        queue = new RedisLookupQueue(redis, prefix);
        cache = new RedisMetadataCache(redis, prefix);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(v -> Await.result(v.close()));
        Await.result(client.close());
    }

    private Vertx startWorkers(int instances, Duration lease) {
        Vertx v = Vertx.vertx();
        workers.add(v);
        Await.result(Workers.deploy(v, redisServer.uri(), prefix, Workers.config(fake.baseUrl(), "token", lease),
            new InMemoryDocumentStore(), instances));
        return v;
    }

    private static LookupJob band(int i) {
        String name = "Band " + i;
        return LookupJob.of(MetadataRef.artist(Ids.artist(name), name));
    }

    private boolean cached(LookupJob job) {
        return Await.result(cache.get(job.key())) != null;
    }

    private List<Long> callTimes() {
        return fake.calls().stream().map(FakeDiscogs.Call::nanos).toList();
    }

    @Test
    void threeWorkersSharingRedisNeverExceedTheBudgetInAnyWindow() {
        List<LookupJob> jobs = IntStream.range(0, 25).mapToObj(WorkerClusterTest::band).toList();
        jobs.forEach(j -> Await.result(queue.offer(j, Priority.WARM)));
        for (int i = 0; i < 3; i++) {
            startWorkers(1, Duration.ofSeconds(30));
        }
        Await.until("25 lookups of 2 calls", Duration.ofSeconds(20), () -> jobs.stream().allMatch(this::cached));
        long t0 = callTimes().get(0);
        System.out.println("calls ms: " + callTimes().stream().map(t -> (t - t0) / 1_000_000).toList());
        assertThat(fake.calls()).hasSize(50);
        assertThat(Await.maxInAnyWindow(callTimes(), Workers.WINDOW)).isLessThanOrEqualTo(Workers.RATE);
        assertThat(Await.result(cache.get(band(7).key())).data().getLong("discogsId")).isEqualTo(100_007L);
    }

    @Test
    void survives429And500StormsWithNoCallOverBudget() {
        List<LookupJob> jobs = IntStream.range(0, 12).mapToObj(WorkerClusterTest::band).toList();
        jobs.forEach(j -> Await.result(queue.offer(j, Priority.WARM)));
        fake.failNext(429, 4);
        fake.failNext(500, 4);
        fake.failNext(429, 2);
        for (int i = 0; i < 3; i++) {
            startWorkers(1, Duration.ofSeconds(30));
        }
        Await.until("every lookup despite the storms", Duration.ofSeconds(20),
            () -> jobs.stream().allMatch(this::cached));
        assertThat(fake.calls()).extracting(FakeDiscogs.Call::status).contains(429, 500);
        assertThat(jobs).allMatch(j -> Await.result(cache.get(j.key())).status() == Metadata.Status.READY);
        assertThat(Await.maxInAnyWindow(callTimes(), Workers.WINDOW)).isLessThanOrEqualTo(Workers.RATE);
    }

    @Test
    void aUserLookupQueuedBehind500WarmUpsIsServedNext() {
        // 500 warm-ups of unknown artists: one search call each
        for (int i = 0; i < 500; i++) {
            String name = "Nobody " + i;
            Await.result(queue.offer(LookupJob.of(MetadataRef.artist(Ids.artist(name), name)), Priority.WARM));
        }
        Vertx worker = startWorkers(1, Duration.ofSeconds(30));
        Await.until("the warm-up running", Duration.ofSeconds(10), () -> fake.calls().size() >= 12);

        MetadataLookupReply reply = Await.result(worker.eventBus().<MetadataLookupReply>request(
            Addresses.METADATA_LOOKUP, MetadataLookup.of(MetadataRef.artist(Ids.artist("Coldplay"), "Coldplay")),
            new DeliveryOptions().setSendTimeout(2000)).map(m -> m.body()));
        assertThat(reply.status()).isEqualTo(MetadataLookupReply.Status.QUEUED);
        long asked = System.nanoTime(); // queued by now

        Await.until("the user's lookup", Duration.ofSeconds(10),
            () -> fake.calls().stream().anyMatch(c -> c.query() != null && c.query().contains("Coldplay")));
        List<FakeDiscogs.Call> after = fake.calls().stream().filter(c -> c.nanos() > asked).toList();
        System.out.println("after: " + after.stream().map(c -> (c.nanos() - asked) / 1_000_000 + ":" + c.query()).toList());
        int position = IntStream.range(0, after.size())
            .filter(i -> after.get(i).query() != null && after.get(i).query().contains("Coldplay")).findFirst()
            .orElseThrow();
        // next: at most the call of the warm-up job the worker had already taken goes before it
        assertThat(position).isLessThanOrEqualTo(1);
        assertThat(Await.result(queue.size())).isGreaterThan(400L);
        Await.until("Coldplay cached", Duration.ofSeconds(10),
            () -> cached(LookupJob.of(MetadataRef.artist(Ids.artist("Coldplay"), "Coldplay"))));
    }

    @Test
    void aWorkerKilledWithWorkQueuedLosesNone() throws Exception {
        List<LookupJob> jobs = IntStream.range(0, 12).mapToObj(WorkerClusterTest::band).toList();
        jobs.forEach(j -> Await.result(queue.offer(j, Priority.WARM)));
        fake.latency(Duration.ofMillis(300)); // so the worker is mid-lookup when it dies
        Process p = new ProcessBuilder(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
            WorkerProcessMain.class.getName(), redisServer.uri(), fake.baseUrl(), prefix, "1000"))
            .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Await.until("the worker process", Duration.ofSeconds(30), () -> {
                try {
                    String line = out.readLine();
                    return line == null || line.contains("worker ready");
                } catch (Exception e) {
                    return true;
                }
            });
            assertThat(p.isAlive()).isTrue();
            Await.until("the worker mid-lookup", Duration.ofSeconds(15), () -> fake.calls().size() >= 3
                && Await.result(redis.send(Request.cmd(Command.ZCARD).arg(prefix + "queue:inflight"))).toInteger() == 1);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long done = jobs.stream().filter(this::cached).count();
        assertThat(done).isLessThan(jobs.size());
        fake.latency(Duration.ZERO);

        startWorkers(1, Duration.ofSeconds(30));
        Await.until("every job, the killed worker's too", Duration.ofSeconds(20),
            () -> jobs.stream().allMatch(this::cached));
        assertThat(Await.maxInAnyWindow(callTimes(), Workers.WINDOW)).isLessThanOrEqualTo(Workers.RATE);
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
