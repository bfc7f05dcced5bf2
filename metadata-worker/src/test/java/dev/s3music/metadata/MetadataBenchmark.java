package dev.s3music.metadata;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.model.metadata.Priority;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.redis.metadata.RedisRateLimiter;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints the metadata worker's figures (not a test: no assertion, one run):
 * <ol>
 *   <li>budget utilization with a backlog: 3 workers (3 Vert.x instances, as 3 processes would be) sharing one
 *       redis-server, a budget of 30 calls per 3 s, a backlog of 1500 lookups;</li>
 *   <li>user-facing lookup latency behind that full backlog, against the next free slot;</li>
 *   <li>reader latency on a warm cache: L1 hits, and the Redis path alone.</li>
 * </ol>
 * Run: {@code mvn -q -B -pl metadata-worker test-compile exec:java
 * -Dexec.mainClass=dev.s3music.metadata.MetadataBenchmark} (about 45 s).
 */
public final class MetadataBenchmark {

    static final int RATE = 30;
    static final Duration WINDOW = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofMillis(50);
    static final int WINDOWS = 8;

    private MetadataBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisServerProcess redisServer = RedisServerProcess.start()) {
            Vertx fakeVertx = Vertx.vertx();
            FakeDiscogs fake = Await.result(FakeDiscogs.start(fakeVertx));
            fake.rateLimit(1_000_000);
            for (int i = 0; i < 20; i++) {
                fake.addArtist(new JsonObject().put("id", 500_000L + i).put("name", "User Artist " + i));
            }
            String prefix = "bench:";
            List<Vertx> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(startWorker(redisServer.uri(), fake.baseUrl(), prefix));
            }
            Vertx client = Vertx.vertx();
            Codecs.registerAll(client.eventBus());
            Redis redis = Workers.redis(client, redisServer.uri());
            RedisLookupQueue queue = new RedisLookupQueue(redis, prefix);
            for (int i = 0; i < 1500; i++) {
                String name = "Backlog " + i;
                Await.result(queue.offer(LookupJob.of(MetadataRef.artist(Ids.artist(name), name)), Priority.WARM));
            }
            fake.clearCalls();
            // deploy the consumers' event bus: the user lookups go through the worker's Vert.x (same process)
            Vertx userSide = workers.get(0);

            Await.until("the first call", Duration.ofSeconds(10), () -> !fake.calls().isEmpty());
            long t0 = fake.calls().get(0).nanos();
            long end = t0 + WINDOW.toNanos() * WINDOWS;
            List<long[]> userSamples = new ArrayList<>(); // {asked, firstCallOfUser, nextCallOfAnyone}
            int u = 0;
            long nextUser = t0 + WINDOW.toNanos() / 2;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextUser && u < 20) {
                    String name = "User Artist " + u++;
                    Await.result(userSide.eventBus().request(Addresses.METADATA_LOOKUP,
                        MetadataLookup.of(MetadataRef.artist(Ids.artist(name), name))));
                    userSamples.add(new long[]{System.nanoTime(), u - 1});
                    nextUser += (long) (WINDOW.toNanos() * 0.77); // lands at varied places of the window
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            TimeUnit.MILLISECONDS.sleep(500);
            List<FakeDiscogs.Call> calls = fake.calls();
            List<Long> times = calls.stream().map(FakeDiscogs.Call::nanos).sorted().toList();
            List<Long> inRun = times.stream().filter(t -> t < end).toList();

            System.out.println();
            System.out.println("== metadata-worker benchmark (3 workers, one redis-server, fake Discogs on loopback)");
            System.out.printf(Locale.ROOT, "budget: %d calls per %d ms (+%d ms margin), backlog 1500 lookups, %d windows%n",
                RATE, WINDOW.toMillis(), MARGIN.toMillis(), WINDOWS);
            int allowed = RATE * WINDOWS;
            System.out.printf(Locale.ROOT, "calls in %d windows: %d of %d allowed = %.1f %%%n", WINDOWS, inRun.size(),
                allowed, 100.0 * inRun.size() / allowed);
            int n = inRun.size();
            if (n > 2 * RATE) {
                double period = (inRun.get(n - 1) - inRun.get(RATE - 1)) / (double) (n - RATE) * RATE;
                System.out.printf(Locale.ROOT, "steady state: %d calls every %.0f ms = %.1f %% of the budget%n", RATE,
                    period / 1e6, 100.0 * WINDOW.toNanos() / period);
            }
            System.out.printf(Locale.ROOT, "most calls in any %d ms window: %d (limit %d)%n", WINDOW.toMillis(),
                Await.maxInAnyWindow(times, WINDOW), RATE);

            System.out.println("user lookups behind the full backlog (time to the user's first Discogs call):");
            List<Double> lat = new ArrayList<>();
            List<Double> extra = new ArrayList<>();
            int nextSlot = 0;
            for (long[] s : userSamples) {
                long asked = s[0];
                String q = "User%20Artist%20" + s[1] + "&";
                long userCall = calls.stream().filter(c -> c.query() != null && c.query().contains("q=" + q))
                    .mapToLong(FakeDiscogs.Call::nanos).min().orElse(-1);
                long firstAfter = times.stream().filter(t -> t > asked).findFirst().orElse(-1L);
                if (userCall < 0 || firstAfter < 0) {
                    continue;
                }
                long before = times.stream().filter(t -> t > asked && t < userCall).count();
                if (before == 0) {
                    nextSlot++;
                }
                lat.add((userCall - asked) / 1e6);
                extra.add((userCall - firstAfter) / 1e6);
            }
            System.out.printf(Locale.ROOT, "  %d lookups: latency p50 %.0f ms, max %.0f ms; took the next free slot: %d of %d; "
                    + "after the next free slot: p50 %.0f ms, max %.0f ms%n", lat.size(), pct(lat, 50), pct(lat, 100),
                nextSlot, lat.size(), pct(extra, 50), pct(extra, 100));
            System.out.printf(Locale.ROOT, "  (a slot opens every %d ms on average at this budget; the window is %d ms)%n",
                WINDOW.toMillis() / RATE, WINDOW.toMillis());

            for (Vertx w : workers) {
                Await.result(w.close());
            }
            readerLatency(client, redis, prefix);
            Await.result(client.close());
            Await.result(fakeVertx.close());
        }
        System.exit(0);
    }

    private static Vertx startWorker(String redisUri, String discogsUrl, String prefix) {
        Vertx v = Vertx.vertx();
        Codecs.registerAll(v.eventBus());
        Redis redis = Workers.redis(v, redisUri);
        DiscogsConfig d = DiscogsConfig.of(discogsUrl, "token", RATE, WINDOW).withLowRemaining(-1);
        WorkerConfig cfg = WorkerConfig.defaults(d, RATE, WINDOW, Duration.ofDays(30))
            .withPolling(Duration.ofMillis(50), Duration.ofSeconds(1));
        RedisRateLimiter limiter = new RedisRateLimiter(redis, prefix, RATE, WINDOW, MARGIN);
        WebClient web = WebClient.create(v);
        Await.result(v.deployVerticle(() -> DiscogsWorkerVerticle.discogs(cfg, web, limiter,
            new RedisLookupQueue(redis, prefix), new RedisMetadataCache(redis, prefix), new InMemoryDocumentStore()),
            new DeploymentOptions().setInstances(1)));
        return v;
    }

    /** The reader on a warm cache: every ref is in Redis; L1 on, then L1 off (the Redis path alone). */
    private static void readerLatency(Vertx vertx, Redis redis, String prefix) {
        RedisMetadataCache cache = new RedisMetadataCache(redis, prefix);
        List<MetadataRef> refs = new ArrayList<>();
        JsonObject data = new JsonObject().put("source", "discogs").put("name", "x").put("profile", "p".repeat(2000));
        for (int i = 0; i < 1000; i++) {
            MetadataRef r = MetadataRef.artist("warm" + i, "Warm " + i);
            refs.add(r);
            Await.result(cache.put(LookupJob.key(r), CacheEntry.ready(data, System.currentTimeMillis(), LookupJob.of(r)),
                Duration.ofHours(1)));
        }
        CachedMetadataReader withL1 = new CachedMetadataReader(vertx, ReaderConfig.defaults(true), cache);
        CachedMetadataReader redisOnly = new CachedMetadataReader(vertx,
            new ReaderConfig(true, 0, Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(10)), cache);
        run(vertx, withL1, refs, 2_000); // warm L1 and the JIT
        double[] l1 = run(vertx, withL1, refs, 100_000);
        run(vertx, redisOnly, refs, 2_000);
        double[] l2 = run(vertx, redisOnly, refs, 20_000);
        System.out.println("reader on a warm cache (MetadataReader.metadata, sequential calls on an event loop):");
        System.out.printf(Locale.ROOT, "  L1 (Caffeine) hits: p50 %.3f ms, p99 %.3f ms, max %.3f ms over %d calls%n",
            l1[0], l1[1], l1[2], 100_000);
        System.out.printf(Locale.ROOT, "  Redis path (L1 off): p50 %.3f ms, p99 %.3f ms, max %.3f ms over %d calls%n",
            l2[0], l2[1], l2[2], 20_000);
    }

    private static double[] run(Vertx vertx, CachedMetadataReader reader, List<MetadataRef> refs, int count) {
        long[] lat = new long[count];
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> step(reader, refs, lat, 0, done));
        Await.result(done.future());
        Arrays.sort(lat);
        return new double[]{lat[count / 2] / 1e6, lat[(int) (count * 0.99)] / 1e6, lat[count - 1] / 1e6};
    }

    private static void step(CachedMetadataReader reader, List<MetadataRef> refs, long[] lat, int i, Promise<Void> done) {
        if (i == lat.length) {
            done.complete();
            return;
        }
        long t = System.nanoTime();
        Future<Metadata> f = reader.metadata(refs.get(i % refs.size()));
        f.onComplete(ar -> {
            lat[i] = System.nanoTime() - t;
            if (ar.failed() || ar.result().status() != Metadata.Status.READY) {
                done.tryFail("not ready: " + (ar.failed() ? ar.cause() : ar.result().status()));
                return;
            }
            if (i % 256 == 255) {
                Vertx.currentContext().runOnContext(v -> step(reader, refs, lat, i + 1, done));
            } else {
                step(reader, refs, lat, i + 1, done);
            }
        });
    }

    private static double pct(List<Double> xs, int p) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = xs.stream().sorted().toList();
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1 < 0 ? 0
            : (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }
}
