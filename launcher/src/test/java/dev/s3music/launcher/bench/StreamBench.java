package dev.s3music.launcher.bench;

import dev.s3music.embedded.S3Credentials;
import dev.s3music.embedded.FreePorts;
import dev.s3music.model.Ids;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issue-2 streaming benchmark. Starts {@code music-server.jar} as its own process over a temporary music
 * folder holding one large object, then prints, side by side with the same object fetched straight from the
 * server's embedded S3 (S3Proxy, presigned URL):
 * <ol>
 *   <li>throughput of the whole object (median of several rounds) and the ratio;</li>
 *   <li>time to first byte of ranged requests at random offsets (median, p99) and the overhead;</li>
 *   <li>server heap (after a full GC, through jcmd) and RSS before and while 200 slow clients stream.</li>
 * </ol>
 * Targets are reported, never asserted. Everything is on 127.0.0.1 and every loop is bounded in count and time.
 *
 * <p>Run it with {@code bench/stream-bench.sh} (which builds the jar); arguments {@code key=value}:
 * {@code sizeMiB} (200), {@code rounds} (5), {@code samples} (200), {@code clients} (200), {@code slowSeconds}
 * (20), {@code listeners} (1000: part d, each reading 40 KB/s), {@code heap} (the server's -Xmx, 256m: the
 * heap of issue 14's 1,000 listeners), {@code jar} (launcher/target/music-server.jar), {@code histogram}
 * (0: print the top n classes of the server heap while the slow clients stream), {@code skip} (comma-separated
 * parts to leave out: {@code a,b,c,d}), {@code s3} ({@code embedded}: the server's own S3Proxy over MUSIC_DIR, as a
 * user runs it; {@code process}: S3Proxy in a process of its own that the server reads as a real bucket, so the
 * server's heap, RSS and threads are its own, as in production).
 */
public final class StreamBench {

    private static final String HOST = "127.0.0.1";
    private static final String BUCKET = "music";
    private static final String KEY = "Bench Artist/Bench Album/01 - Large Recording.flac";
    private static final int RANGE_LENGTH = 64 * 1024;
    /** A slow client reads this much... */
    private static final int SLOW_READ_BYTES = 16 * 1024;
    /** ...every this many ms: 160 KiB/s, a little above a 1411 kbit/s CD stream. */
    private static final int SLOW_READ_EVERY_MS = 100;
    private static final int SLOW_RECEIVE_BUFFER = 64 * 1024;

    private final long size;
    private final int rounds;
    private final int samples;
    private final int clients;
    private final int slowSeconds;
    private final int listeners;
    private final String heap;
    private final Path jar;
    private final int histogram;
    private final List<String> skip;
    /** "embedded": the server's own S3Proxy over MUSIC_DIR; "process": S3Proxy in a process of its own. */
    private final String s3Mode;
    private Process s3Process;

    private Path dir;
    private Process server;
    private int httpPort;
    private int s3Port;
    /** The embedded S3's keys: written before the server starts, read by it (S3_CREDENTIALS_FILE) or S3ProxyMain. */
    private S3Credentials s3Credentials;
    private String serverPath;
    private String directPath;

    private StreamBench(java.util.Map<String, String> args) {
        size = Long.parseLong(args.getOrDefault("sizeMiB", "200")) * 1024 * 1024;
        rounds = Integer.parseInt(args.getOrDefault("rounds", "5"));
        samples = Integer.parseInt(args.getOrDefault("samples", "200"));
        clients = Integer.parseInt(args.getOrDefault("clients", "200"));
        slowSeconds = Integer.parseInt(args.getOrDefault("slowSeconds", "20"));
        listeners = Integer.parseInt(args.getOrDefault("listeners", "1000"));
        heap = args.getOrDefault("heap", "256m");
        jar = Path.of(args.getOrDefault("jar", "launcher/target/music-server.jar")).toAbsolutePath();
        histogram = Integer.parseInt(args.getOrDefault("histogram", "0"));
        skip = List.of(args.getOrDefault("skip", "").split(","));
        s3Mode = args.getOrDefault("s3", "embedded");
        if (!s3Mode.equals("embedded") && !s3Mode.equals("process")) {
            throw new IllegalArgumentException("s3 is embedded or process: " + s3Mode);
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value: " + a);
            }
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        StreamBench bench = new StreamBench(opts);
        // Ctrl-C: still stop the server and delete the large object
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopQuietly, "bench-cleanup"));
        try {
            bench.run();
        } finally {
            bench.stopServer();
        }
    }

    private void run() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -q -B -DskipTests package");
        }
        dir = Files.createTempDirectory("stream-bench-");
        // the bucket folder: MUSIC_DIR of the embedded mode, <base>/music for a separate S3Proxy
        Path music = dir.resolve("music");
        Path object = music.resolve(KEY);
        Files.createDirectories(object.getParent());
        writeObject(object, size);
        System.out.printf(Locale.ROOT, "object: %s, %d bytes (%.1f MB), in %s%n", KEY, size, size / 1e6, music);

        startServer(music);
        serverPath = "/api/songs/" + Ids.song(KEY) + "/stream";
        directPath = presignedPath();
        System.out.printf("server: pid %d, java -Xmx%s -jar %s, HTTP %d, S3 %d (%s); log %s%n", server.pid(), heap,
            jar.getFileName(), httpPort, s3Port, s3Mode.equals("embedded") ? "S3Proxy inside the server"
                : "S3Proxy in its own process " + s3Process.pid(), dir.resolve("server.log"));

        // warm-up: JIT both paths, open the SDK connection pool
        byte[] buf = new byte[256 * 1024];
        for (int i = 0; i < 20; i++) {
            check(RawHttp.get(HOST, httpPort, serverPath, "bytes=0-65535", buf), 206, RANGE_LENGTH);
            check(RawHttp.get(HOST, s3Port, directPath, "bytes=0-65535", buf), 206, RANGE_LENGTH);
        }
        check(RawHttp.get(HOST, httpPort, serverPath, null, buf), 200, size);
        check(RawHttp.get(HOST, s3Port, directPath, null, buf), 200, size);

        if (!skip.contains("a")) {
            throughput(buf);
        }
        if (!skip.contains("b")) {
            timeToFirstByte(buf);
        }
        if (!skip.contains("c")) {
            slowClients("(c)", clients, SLOW_READ_BYTES, SLOW_READ_EVERY_MS);
        }
        if (!skip.contains("d")) {
            // issue 14: 1,000 listeners at 40 KB/s (4 KiB every 100 ms, a 320 kbit/s stream) on one server
            slowClients("(d)", listeners, 4 * 1024, SLOW_READ_EVERY_MS);
        }
    }

    /**
     * The redirect mode as a player follows it: the song's URL with {@code ?redirect=true} (302, no body), then the
     * {@code Location} with the same Range; the time of both, first byte and end counted from the first request.
     */
    private RawHttp.Result viaRedirect(String range, byte[] buf) throws IOException {
        long t0 = System.nanoTime();
        RawHttp.Result hop = RawHttp.get(HOST, httpPort, serverPath + "?redirect=true", range, buf);
        if (hop.status() != 302 || hop.headers().get("location") == null) {
            throw new IllegalStateException("expected a 302 with a Location, got " + hop.status() + " " + hop.headers());
        }
        URI to = URI.create(hop.headers().get("location"));
        long gap = System.nanoTime() - t0;
        RawHttp.Result r = RawHttp.get(to.getHost(), to.getPort(), to.getRawPath() + "?" + to.getRawQuery(), range, buf);
        return new RawHttp.Result(r.status(), r.headers(), r.bodyBytes(), gap + r.firstByteNanos(), gap + r.endNanos());
    }

    // ---- (a) throughput ----

    private void throughput(byte[] buf) throws IOException {
        double[] server = new double[rounds];
        double[] direct = new double[rounds];
        double[] redirect = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            direct[i] = mbPerSecond(check(RawHttp.get(HOST, s3Port, directPath, null, buf), 200, size));
            server[i] = mbPerSecond(check(RawHttp.get(HOST, httpPort, serverPath, null, buf), 200, size));
            redirect[i] = mbPerSecond(check(viaRedirect(null, buf), 200, size));
        }
        double s = median(server);
        double d = median(direct);
        double r = median(redirect);
        System.out.println();
        System.out.printf(Locale.ROOT, "(a) throughput, whole %.0f MB object, median of %d%n", size / 1e6, rounds);
        System.out.printf(Locale.ROOT, "    %-28s %10s %10s %10s %8s %8s%n", "", "proxy", "redirect", "direct S3",
            "proxy/d", "redir/d");
        System.out.printf(Locale.ROOT, "    %-28s %10.0f %10.0f %10.0f %8.2f %8.2f   (target proxy >= 0.60)%n", "MB/s",
            s, r, d, s / d, r / d);
        System.out.printf(Locale.ROOT, "    %-28s %s | %s | %s%n", "rounds MB/s (proxy | redirect | direct)",
            fmt(server), fmt(redirect), fmt(direct));
    }

    private double mbPerSecond(RawHttp.Result r) {
        return r.bodyBytes() / 1e6 / (r.endNanos() / 1e9);
    }

    // ---- (b) time to first byte of a ranged request ----

    private void timeToFirstByte(byte[] buf) throws IOException {
        Random random = new Random(42);
        double[] server = new double[samples];
        double[] direct = new double[samples];
        double[] redirect = new double[samples];
        for (int i = 0; i < samples; i++) {
            long from = (long) (random.nextDouble() * (size - RANGE_LENGTH));
            String range = "bytes=" + from + "-" + (from + RANGE_LENGTH - 1);
            // alternate which goes first so neither side always finds a warmer cache
            if (i % 2 == 0) {
                direct[i] = check(RawHttp.get(HOST, s3Port, directPath, range, buf), 206, RANGE_LENGTH).firstByteNanos() / 1e6;
                server[i] = check(RawHttp.get(HOST, httpPort, serverPath, range, buf), 206, RANGE_LENGTH).firstByteNanos() / 1e6;
            } else {
                server[i] = check(RawHttp.get(HOST, httpPort, serverPath, range, buf), 206, RANGE_LENGTH).firstByteNanos() / 1e6;
                direct[i] = check(RawHttp.get(HOST, s3Port, directPath, range, buf), 206, RANGE_LENGTH).firstByteNanos() / 1e6;
            }
            redirect[i] = check(viaRedirect(range, buf), 206, RANGE_LENGTH).firstByteNanos() / 1e6;
        }
        Arrays.sort(server);
        Arrays.sort(direct);
        Arrays.sort(redirect);
        System.out.println();
        System.out.printf(Locale.ROOT, "(b) time to first byte, 64 KiB ranges at random offsets, %d samples each, new "
            + "connection each%n", samples);
        System.out.printf(Locale.ROOT, "    %-28s %10s %10s %8s %10s %10s %10s%n", "", "proxy", "direct S3", "ratio",
            "overhead", "redirect", "overhead");
        for (String q : List.of("median", "p90", "p99")) {
            double p = switch (q) {
                case "median" -> 0.5;
                case "p90" -> 0.9;
                default -> 0.99;
            };
            double s = percentile(server, p);
            double d = percentile(direct, p);
            double r = percentile(redirect, p);
            System.out.printf(Locale.ROOT, "    %-28s %8.2fms %8.2fms %8.2f %8.2fms %8.2fms %8.2fms%s%n", q, s, d, s / d,
                s - d, r, r - d, q.equals("median") ? "   (target proxy overhead < 2 ms)" : "");
        }
    }

    // ---- (c) memory while slow clients stream ----

    private void slowClients(String part, int clients, int readBytes, int everyMs) throws Exception {
        Memory before = memory();
        AtomicInteger streaming = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        java.util.Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong bytes = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(slowSeconds);
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // platform threads with small stacks: one blocking reader per slow listener, for a bounded time
            Thread t = new Thread(null, () -> {
                try (Socket s = RawHttp.open(HOST, httpPort, serverPath, null, SLOW_RECEIVE_BUFFER)) {
                    InputStream in = s.getInputStream();
                    var head = RawHttp.readHead(in);
                    if (head.getKey() != 200) {
                        failed.incrementAndGet();
                        failures.merge("HTTP " + head.getKey(), 1, Integer::sum);
                        return;
                    }
                    streaming.incrementAndGet();
                    byte[] b = new byte[readBytes];
                    while (System.nanoTime() < deadline) {
                        int n = in.readNBytes(b, 0, b.length);
                        if (n <= 0) {
                            break;
                        }
                        bytes.addAndGet(n);
                        Thread.sleep(everyMs);
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            }, "slow-client-" + i, 128 * 1024);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        // measure in the middle of the run, once every client had time to connect and fill its buffers
        long settle = Math.max(2, slowSeconds / 2);
        long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settle);
        while (System.nanoTime() < settleDeadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        int active = streaming.get();
        Memory during = memory();
        String histo = histogram > 0 ? jcmd("GC.class_histogram") : "";
        done.await(slowSeconds + 60L, TimeUnit.SECONDS);
        // give the server a moment to see the closed connections, then look again
        TimeUnit.SECONDS.sleep(2);
        Memory after = memory();

        System.out.println();
        System.out.printf(Locale.ROOT, "%s server memory (-Xmx%s), %d slow clients (each reads %d KiB every %d ms, %d KB/s) "
                + "for %d s: %d streaming at the mid-point, %d refused or failed, %.0f MB delivered%n", part, heap,
            clients, readBytes / 1024, everyMs, readBytes * 1000L / everyMs / 1000, slowSeconds, active, failed.get(),
            bytes.get() / 1e6);
        System.out.printf(Locale.ROOT, "    %-28s %12s %12s %12s%n", "", "before", "during", "after");
        System.out.printf(Locale.ROOT, "    %-28s %10.1fMB %10.1fMB %10.1fMB%n", "heap used after full GC",
            before.heapUsedKb / 1024.0, during.heapUsedKb / 1024.0, after.heapUsedKb / 1024.0);
        System.out.printf(Locale.ROOT, "    %-28s %10.1fMB %10.1fMB %10.1fMB%n", "heap committed",
            before.heapTotalKb / 1024.0, during.heapTotalKb / 1024.0, after.heapTotalKb / 1024.0);
        System.out.printf(Locale.ROOT, "    %-28s %10.1fMB %10.1fMB %10.1fMB%n", "RSS", before.rssKb / 1024.0,
            during.rssKb / 1024.0, after.rssKb / 1024.0);
        System.out.printf(Locale.ROOT, "    %-28s %12d %12d %12d%n", "threads", before.threads, during.threads,
            after.threads);
        if (!failures.isEmpty()) {
            System.out.println("    failures: " + failures);
        }
        if (histogram > 0) {
            System.out.println("    server heap histogram during the run (top " + histogram + "):");
            histo.lines().skip(1).limit(histogram + 2L).forEach(l -> System.out.println("      " + l));
        }
        int n = Math.max(1, active);
        System.out.printf(Locale.ROOT, "    heap growth per stream: %.1f KB   (target < 64 KB); RSS growth per stream: "
            + "%.1f KB%s%n", (during.heapUsedKb - before.heapUsedKb) * 1.024 / n, (during.rssKb - before.rssKb) * 1.024 / n,
            part.equals("(d)") ? "; targets: none refused, RSS < 500 MB" : "");
        for (Thread t : threads) {
            t.join(1000);
        }
    }

    private record Memory(long heapUsedKb, long heapTotalKb, long rssKb, long threads) {
    }

    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private Memory memory() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("unexpected GC.heap_info output: " + info);
        }
        String status = Files.readString(Path.of("/proc/" + server.pid() + "/status"));
        return new Memory(Long.parseLong(m.group(2)), Long.parseLong(m.group(1)), procField(status, "VmRSS"),
            procField(status, "Threads"));
    }

    private static long procField(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String jcmd(String command) throws Exception {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(bin) ? bin.toString() : "jcmd",
            String.valueOf(server.pid()), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    // ---- the server process ----

    private static final String ADMIN_PASSWORD = "bench-admin-password-1";

    /** Signs in as the admin ADMIN_PASSWORD created: {@code Bearer <token>}; IOException while not listening. */
    private String signIn() throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + HOST + ":" + httpPort + "/api/auth/login"))
                .timeout(java.time.Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in answered " + r.statusCode() + ": " + r.body());
        }
        return "Bearer " + new io.vertx.core.json.JsonObject(r.body()).getString("token");
    }

    private void startServer(Path music) throws Exception {
        RawHttp.authorization = null;
        httpPort = FreePorts.next();
        s3Port = FreePorts.next();
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-Xmx" + heap, "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("S3_BUCKET") || k.equals("ROLE"));
        pb.environment().putAll(java.util.Map.of("HTTP_HOST", HOST, "HTTP_PORT", String.valueOf(httpPort),
            "DEMO_LIBRARY", "false", "USE_REDIS", "false", "ADMIN_PASSWORD", ADMIN_PASSWORD,
            // one user streams for every bench client: lift the per-user cap (the instance cap stays the default)
            "MAX_STREAMS_PER_USER", "100000"));
        Path credentialsFile = dir.resolve("s3-credentials.properties");
        s3Credentials = S3Credentials.loadOrCreate(credentialsFile);
        if (s3Mode.equals("embedded")) {
            pb.environment().putAll(java.util.Map.of("MUSIC_DIR", music.toString(), "S3_HOST", HOST,
                "S3_PORT", String.valueOf(s3Port), "S3_CREDENTIALS_FILE", credentialsFile.toString()));
        } else {
            s3Process = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                S3ProxyMain.class.getName(), music.getParent().toString(), String.valueOf(s3Port),
                credentialsFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
            // the server's reconcile at start lists the bucket once: wait until S3Proxy listens (slow on a busy machine)
            long s3Deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new java.net.InetSocketAddress(HOST, s3Port), 1000);
                    break;
                } catch (IOException notYet) {
                    if (!s3Process.isAlive() || System.nanoTime() > s3Deadline) {
                        throw new IllegalStateException("S3Proxy did not listen within 120 s; see "
                            + dir.resolve("s3proxy.log"));
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            // the server reads it as a real bucket: default credentials chain from the environment
            pb.environment().putAll(java.util.Map.of("S3_BUCKET", BUCKET, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://" + HOST + ":" + s3Port,
                "AWS_ACCESS_KEY_ID", s3Credentials.accessKey(), "AWS_SECRET_ACCESS_KEY", s3Credentials.secretKey()));
        }
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String songPath = "/api/songs/" + Ids.song(KEY);
        byte[] buf = new byte[8192];
        while (true) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + "; see "
                    + dir.resolve("server.log"));
            }
            try {
                if (RawHttp.authorization == null) {
                    RawHttp.authorization = signIn();
                }
                if (RawHttp.get(HOST, httpPort, songPath, null, buf).status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server did not serve the song within 120 s; see "
                    + dir.resolve("server.log"));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private void stopQuietly() {
        try {
            stopServer();
        } catch (Exception e) {
            System.err.println("cleanup: " + e);
        }
    }

    private synchronized void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy(); // SIGTERM: the graceful stop
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (s3Process != null && s3Process.isAlive()) {
            s3Process.destroy();
            if (!s3Process.waitFor(30, TimeUnit.SECONDS)) {
                s3Process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("music").resolve(KEY));
        }
    }

    /** A presigned GET of the object on the embedded S3: path and query to send to S3Proxy. */
    private String presignedPath() {
        try (S3Presigner presigner = S3Presigner.builder()
            .endpointOverride(URI.create("http://" + HOST + ":" + s3Port))
            .region(Region.US_EAST_1)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3Credentials.accessKey(), s3Credentials.secretKey())))
            .build()) {
            URI u = URI.create(presigner.presignGetObject(b -> b.signatureDuration(Duration.ofHours(1))
                .getObjectRequest(g -> g.bucket(BUCKET).key(KEY))).url().toString());
            return u.getRawPath() + "?" + u.getRawQuery();
        }
    }

    /** Fills the object with pseudo-random bytes (incompressible, like audio) in 1 MiB writes. */
    private static void writeObject(Path file, long size) throws IOException {
        Random random = new Random(7);
        byte[] block = new byte[1024 * 1024];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; ) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, size - written);
                ByteBuffer bb = ByteBuffer.wrap(block, 0, n);
                while (bb.hasRemaining()) {
                    written += ch.write(bb);
                }
            }
        }
    }

    private static RawHttp.Result check(RawHttp.Result r, int status, long bytes) {
        if (r.status() != status || r.bodyBytes() != bytes) {
            throw new IllegalStateException("expected " + status + " with " + bytes + " bytes, got " + r.status()
                + " with " + r.bodyBytes() + " bytes, headers " + r.headers());
        }
        return r;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return percentile(v, 0.5);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", d));
        }
        return b.toString();
    }
}
