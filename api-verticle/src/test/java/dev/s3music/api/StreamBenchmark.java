package dev.s3music.api;

import dev.s3music.model.ByteRange;
import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of one large song through the API vs straight from S3Proxy, ranged time to first byte, the relay's own
 * CPU per 100 MB, and the heap held per slow stream; both paths fetched by curl (an external process, the same
 * client both ways). Prints figures; asserts nothing. S3Proxy runs in this JVM, as in the embedded default.
 * Run: {@code mvn -pl api-verticle test -Dgroups=benchmark -DexcludedGroups=none -Dtest=StreamBenchmark}
 * ({@code -Dbench.sizeMb=256 -Dbench.runs=5 -Dbench.slowClients=100}).
 */
@Tag("benchmark")
class StreamBenchmark {

    private static final int SIZE_MB = Integer.getInteger("bench.sizeMb", 256);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);

    @Test
    void throughputThroughTheApiVersusDirect(@TempDir Path base) throws Exception {
        ApiTestServer env = new ApiTestServer(base);
        Vertx vertx = Vertx.vertx(new VertxOptions());
        try {
            String key = "Bench/Big/01 long take.flac";
            Path file = base.resolve(ApiTestServer.BUCKET).resolve(key);
            Files.createDirectories(file.getParent());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] block = new byte[1 << 20];
                new java.util.Random(3).nextBytes(block);
                for (int i = 0; i < SIZE_MB; i++) {
                    f.write(block);
                }
            }
            S3ObjectStore store = env.store(vertx);
            InMemoryCatalog catalog = new InMemoryCatalog();
            var info = store.head(key).await(10, TimeUnit.SECONDS);
            Song song = ApiTestServer.song(key, info.size(), info.etag(), info.lastModified());
            catalog.upsert(song).await();
            HttpApiVerticle api = ApiTestServer.deploy(vertx, catalog, store, null).await(20, TimeUnit.SECONDS);
            String viaApi = "http://127.0.0.1:" + api.actualPort() + "/api/songs/" + song.id() + "/stream";
            String direct;
            try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(env.s3.endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(env.s3.accessKey(), env.s3.secretKey())))
                .build()) {
                direct = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(30))
                    .getObjectRequest(g -> g.bucket(ApiTestServer.BUCKET).key(key))).url().toString();
            }
            for (int i = 0; i < 3; i++) { // warm both paths (JIT)
                curl(direct, null);
                curl(viaApi, null);
            }
            for (int i = 0; i < 200; i++) {
                curl(viaApi, "bytes=0-65535");
            }
            List<Double> d = new ArrayList<>();
            List<Double> a = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                d.add(mbPerSecond(curl(direct, null)));
                long cpu0 = eventLoopCpuNanos();
                a.add(mbPerSecond(curl(viaApi, null)));
                cpu.add((eventLoopCpuNanos() - cpu0) / 1e6 / (info.size() / 1e8));
            }
            List<Double> td = new ArrayList<>();
            List<Double> ta = new ArrayList<>();
            List<Double> th = new ArrayList<>();
            List<Double> to = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                th.add(curlHead(viaApi) * 1000);
                long t0 = System.nanoTime();
                var body = store.open(key, new ByteRange(1000, 66535), info.etag()).await(10, TimeUnit.SECONDS);
                io.vertx.core.Promise<Void> first = io.vertx.core.Promise.promise();
                body.stream().handler(b -> first.tryComplete()).endHandler(v -> first.tryComplete());
                body.stream().resume();
                first.future().await(10, TimeUnit.SECONDS);
                to.add((System.nanoTime() - t0) / 1e6);
                body.cancel();
            }
            List<Double> tl = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tl.add(curlHead("http://127.0.0.1:" + api.actualPort() + "/health/live") * 1000);
            }
            var client = io.vertx.ext.web.client.WebClient.create(vertx);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 500; i++) {
                    client.head(api.actualPort(), "127.0.0.1", "/api/songs/" + song.id() + "/stream").send().await(10, TimeUnit.SECONDS);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 500; i++) {
                    client.get(api.actualPort(), "127.0.0.1", "/health/live").send().await(10, TimeUnit.SECONDS);
                }
                long t2 = System.nanoTime();
                System.out.printf("in-process keep-alive: HEAD stream %.3f ms, GET live %.3f ms%n", (t1 - t0) / 500 / 1e6, (t2 - t1) / 500 / 1e6);
            }
            System.out.printf("curl GET /health/live %.2f ms%n", median(tl));
            System.out.printf("HEAD via API (no S3) %.2f ms; store.open to first byte in-process %.2f ms%n", median(th), median(to));
            for (int i = 0; i < 40; i++) {
                long first = (long) (Math.random() * (info.size() - 70_000));
                String range = "bytes=" + first + "-" + (first + 65_535);
                td.add(curl(direct, range)[1] * 1000);
                ta.add(curl(viaApi, range)[1] * 1000);
            }
            System.out.printf("%n=== stream benchmark: %d MB object, %d runs, median ===%n", SIZE_MB, RUNS);
            System.out.printf("throughput direct  %8.0f MB/s  %s%n", median(d), d);
            System.out.printf("throughput via API %8.0f MB/s  %s%n", median(a), a);
            System.out.printf("ratio              %8.2f%n", median(a) / median(d));
            System.out.printf("relay CPU (event loops) %.0f ms per 100 MB  %s%n", median(cpu), cpu);
            System.out.printf("ranged TTFB direct %8.2f ms, via API %.2f ms, overhead %.2f ms%n%n",
                median(td), median(ta), median(ta) - median(td));
            store.close();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            env.close();
        }
    }

    /**
     * Heap held per slow stream: {@code bench.slowClients} curl processes read at 20 KB/s; after 5 s the heap
     * used after a GC is compared with the heap before they started.
     */
    @Test
    void heapPerSlowStream(@TempDir Path base) throws Exception {
        int clients = Integer.getInteger("bench.slowClients", 100);
        ApiTestServer env = new ApiTestServer(base);
        Vertx vertx = Vertx.vertx();
        List<Process> curls = new ArrayList<>();
        try {
            String key = "Bench/Big/02 slow.flac";
            Path file = base.resolve(ApiTestServer.BUCKET).resolve(key);
            Files.createDirectories(file.getParent());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] block = new byte[1 << 20];
                new java.util.Random(4).nextBytes(block);
                for (int i = 0; i < 64; i++) {
                    f.write(block);
                }
            }
            S3ObjectStore store = env.store(vertx);
            InMemoryCatalog catalog = new InMemoryCatalog();
            var info = store.head(key).await(10, TimeUnit.SECONDS);
            Song song = ApiTestServer.song(key, info.size(), info.etag(), info.lastModified());
            catalog.upsert(song).await();
            HttpApiVerticle api = ApiTestServer.deploy(vertx, catalog, store, null).await(20, TimeUnit.SECONDS);
            String viaApi = "http://127.0.0.1:" + api.actualPort() + "/api/songs/" + song.id() + "/stream";
            curl(viaApi, "bytes=0-1000000"); // warm
            long before = heapAfterGc();
            for (int i = 0; i < clients; i++) {
                curls.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "--limit-rate", "20K", viaApi)
                    .redirectErrorStream(true).start());
            }
            Thread.sleep(Long.getLong("bench.slowMillis", 5000));
            long during = heapAfterGc();
            System.out.printf("%n=== %d slow streams (20 KB/s) through the API: heap %d KB before, %d KB during: %.1f KB per stream%n",
                clients, before / 1024, during / 1024, (during - before) / 1024.0 / clients);
            curls.forEach(Process::destroyForcibly);
            for (Process p : curls) {
                p.waitFor(5, TimeUnit.SECONDS);
            }
            curls.clear();
            Thread.sleep(1000);
            // the same slow clients straight on S3Proxy (which runs in this JVM): its own share of the heap
            String direct = presignedUrl(env, key);
            long beforeDirect = heapAfterGc();
            for (int i = 0; i < clients; i++) {
                curls.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "--limit-rate", "20K", direct)
                    .redirectErrorStream(true).start());
            }
            Thread.sleep(Long.getLong("bench.slowMillis", 5000));
            long duringDirect = heapAfterGc();
            System.out.printf("=== %d slow streams (20 KB/s) straight from S3Proxy: %.1f KB per stream (S3Proxy's share)%n%n",
                clients, (duringDirect - beforeDirect) / 1024.0 / clients);
            store.close();
        } finally {
            curls.forEach(Process::destroyForcibly);
            vertx.close().await(10, TimeUnit.SECONDS);
            env.close();
        }
    }

    private static String presignedUrl(ApiTestServer env, String key) {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(env.s3.endpoint())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(env.s3.accessKey(), env.s3.secretKey())))
            .build()) {
            return presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(30))
                .getObjectRequest(g -> g.bucket(ApiTestServer.BUCKET).key(key))).url().toString();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Runs curl; returns {bytes/second, seconds to first byte}. */
    private static double[] curl(String url, String range) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{speed_download} %{time_starttransfer} %{http_code}"));
        if (range != null) {
            cmd.add("-H");
            cmd.add("Range: " + range);
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("curl timed out");
        }
        String[] parts = out.split(" ");
        if (!parts[2].startsWith("20")) {
            throw new IllegalStateException("curl " + url + " -> " + out);
        }
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** CPU time of the Vert.x event-loop threads: the relay's own cost, robust to a noisy machine. */
    private static long eventLoopCpuNanos() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var t : mx.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("vert.x-eventloop")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    private static double curlHead(String url) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-I", "-o", "/dev/null", "-w", "%{time_total}", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return Double.parseDouble(out);
    }

    private static double mbPerSecond(double[] r) {
        return r[0] / 1e6;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

}
