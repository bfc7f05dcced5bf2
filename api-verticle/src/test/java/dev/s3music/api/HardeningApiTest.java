package dev.s3music.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.s3music.api.logging.LogEscape;
import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, items 2, 3, 5, 6 and 10 on a real server (S3Proxy, the real S3 adapter): unknown methods refused, bad
 * percent-encodings a 400 with no stack trace, control characters escaped in the text log, a slow header trickle
 * and idle connections closed (1,000 of them, while others are served), a listener reading slowly not cut by the
 * idle timeout, the stream cap answered 503 with {@code Retry-After} and counted, and readiness cached and
 * single-flight.
 */
@ExtendWith(VertxExtension.class)
class HardeningApiTest {

    /** Shorter than the header timeout, so that idle connections are closed by the idle timeout. */
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration HEADER = Duration.ofSeconds(3);
    private static final int BIG = 8 << 20;
    private static final int SLOW = 400_000;

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static PrometheusMeterRegistry registry;
    static Song big;
    static Song slow;
    static int port;
    static int cappedPort;
    static ListAppender<ILoggingEvent> captured;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        captured = new ListAppender<>();
        captured.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
            .addAppender(captured);
        env = new ApiTestServer(base);
        store = env.store(vertx);
        InMemoryCatalog catalog = new InMemoryCatalog();
        big = env.putSong(catalog, store, "Big/Band/01 - Long.mp3", S3TestSupport.randomBytes(BIG, 3));
        slow = env.putSong(catalog, store, "Slow/Band/01 - Slow.mp3", S3TestSupport.randomBytes(SLOW, 4));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // short idle and header timeouts
        ApiConfig config = ApiConfig.of("127.0.0.1", 0).withLimits(IDLE, HEADER, ApiConfig.DEFAULT_MAX_STREAMS);
        HttpApiVerticle api = new HttpApiVerticle(config, catalog, store, null,
            HttpApiVerticle.defaultReadiness(config, catalog, store), registry);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        // a stream cap of 1, default timeouts (a stalled holder must keep its slot)
        ApiConfig capped = ApiConfig.of("127.0.0.1", 0).withLimits(ApiConfig.DEFAULT_IDLE_TIMEOUT,
            ApiConfig.DEFAULT_HEADER_TIMEOUT, 1);
        HttpApiVerticle cappedApi = new HttpApiVerticle(capped, catalog, store, null,
            HttpApiVerticle.defaultReadiness(capped, catalog, store), registry);
        vertx.deployVerticle(cappedApi).await(20, TimeUnit.SECONDS);
        cappedPort = cappedApi.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
            .detachAppender(captured);
        store.close();
        env.close();
    }

    @Test
    void unknownMethodsAre405InJsonWhateverTheirLength() throws Exception {
        for (String method : List.of("FOO", "X".repeat(1000), "get", "BREW")) {
            Raw r = Raw.exchange(port, method + " /api/artists HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(method).isEqualTo(405);
            assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("method_not_allowed");
        }
    }

    @Test
    void malformedPercentEncodingIs400InTheApiShapeWithoutAStackTrace() throws Exception {
        int before = captured.list.size();
        for (String target : List.of("/api/search?q=%%%", "/api/artists?x=%%", "/api/artists?x=%zz",
            "/api/songs/%/stream", "/api/search?q=%4")) {
            Raw r = Raw.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(target).isEqualTo(400);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getInteger("status")).isEqualTo(400);
            assertThat(body.getString("error")).isEqualTo("bad_request");
            assertThat(body.getString("message")).contains("percent-encoding");
        }
        // a well-formed encoding still works
        assertThat(Raw.exchange(port, "GET /api/search?q=%41b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .status()).isEqualTo(200);
        List<ILoggingEvent> lines = List.copyOf(captured.list.subList(before, captured.list.size()));
        assertThat(lines).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .noneMatch(e -> e.getThrowableProxy() != null);
    }

    @Test
    void controlCharactersOfARequestPathAreEscapedInTheTextLog() throws Exception {
        Raw.exchange(port, "GET /api/\u001b[31mRED\u0000\b\u007f\u0085x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        ILoggingEvent access = waitForLine(e -> e.getLoggerName().equals(RequestLog.ACCESS_LOGGER)
            && e.getFormattedMessage().contains("RED"));
        PatternLayout layout = new PatternLayout();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        layout.setContext(context);
        // the pattern of logback-text.xml (launcher) and logback-test.xml
        layout.getInstanceConverterMap().put("safeMsg", dev.s3music.api.logging.SafeMessageConverter::new);
        layout.setPattern("%logger - %safeMsg%n");
        layout.start();
        String line = layout.doLayout(access);
        assertThat(line).doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("\b")
            .doesNotContain("\u007f").doesNotContain("\u0085")
            .contains("\\x1b[31mRED\\x00\\x08\\x7f\\x85x");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);

        assertThat(LogEscape.escape("plain /api/artists\tok")).isEqualTo("plain /api/artists\tok");
        assertThat(LogEscape.escape("a\r\nINFO forged\u2028")).isEqualTo("a\\x0d\\x0aINFO forged\\u2028");
    }

    @Test
    void aConnectionTricklingItsHeadersIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(200);
            s.getOutputStream().write("GET /api/artists HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean closed = false;
            // one header byte every 200 ms keeps the idle timeout from firing: only the header deadline can
            while (!closed && System.nanoTime() < deadline) {
                try {
                    s.getOutputStream().write('X');
                    closed = s.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (IOException e) {
                    closed = true; // reset
                }
            }
            assertThat(closed).as("closed within 20 s (header timeout %s)", HEADER).isTrue();
        }
    }

    @Test
    void aThousandIdleConnectionsAreClosedAfterTheIdleTimeoutWhileOthersAreServed() throws Exception {
        int n = 1000;
        List<Socket> idle = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(50);
                idle.add(s);
            }
            // while they sit there, others are served
            for (int i = 0; i < 20; i++) {
                assertThat(Raw.exchange(port, "GET /api/artists HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .status()).isEqualTo(200);
            }
            // each is closed by the server (EOF) after the idle timeout
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int closed = 0;
            List<Socket> open = new ArrayList<>(idle);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (var it = open.iterator(); it.hasNext(); ) {
                    Socket s = it.next();
                    try {
                        if (s.getInputStream().read() < 0) {
                            it.remove();
                            closed++;
                        }
                    } catch (SocketTimeoutException e) {
                        // still open
                    } catch (IOException e) {
                        it.remove();
                        closed++;
                    }
                }
            }
            System.out.printf("idle connections: %d of %d closed by the server%n", closed, n);
            assertThat(closed).isEqualTo(n);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aListenerReadingAt40KBperSecondOutlastsTheIdleTimeoutByteExact() throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /api/songs/" + slow.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            long start = System.nanoTime();
            for (int k; (k = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, k);
                Thread.sleep(100); // at most 4 KB per 100 ms: 40 KB/s
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            byte[] response = all.toByteArray();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            System.out.printf("slow listener: %d body bytes in %.1f s (idle timeout %s)%n", response.length - bodyAt,
                seconds, IDLE);
            assertThat(text).startsWith("HTTP/1.1 200");
            assertThat(response.length - bodyAt).isEqualTo(SLOW);
            assertThat(seconds).as("slower than the idle timeout, else the test proves nothing")
                .isGreaterThan(IDLE.toSeconds());
        }
    }

    @Test
    void theStreamCapAnswers503WithRetryAfterAndCountsTheRefusal() throws Exception {
        double refusedBefore = refused();
        try (Socket holder = new Socket()) {
            // one stream that does not read: it holds the only slot
            holder.setReceiveBufferSize(16 * 1024);
            holder.connect(new InetSocketAddress("127.0.0.1", cappedPort), 5000);
            holder.getOutputStream().write(("GET /api/songs/" + big.id() + "/stream HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            waitFor(() -> registry.find("s3music.streams.active").gauge() != null
                && registry.find("s3music.streams.active").gauge().value() >= 1);
            Raw second = Raw.exchange(cappedPort, "GET /api/songs/" + slow.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.head()).containsIgnoringCase("Retry-After: 5");
            assertThat(new JsonObject(second.body()).getString("error")).isEqualTo("unavailable");
            assertThat(refused()).isEqualTo(refusedBefore + 1);
            // HEAD and conditionals need no S3 connection: never refused
            assertThat(Raw.exchange(cappedPort, "HEAD /api/songs/" + slow.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n").status()).isEqualTo(200);
        }
        // the slot comes back when the holder leaves
        waitFor(() -> {
            try {
                return Raw.exchange(cappedPort, "GET /api/songs/" + slow.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                    + "Range: bytes=0-9\r\nConnection: close\r\n\r\n").status() == 206;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void readinessProbesOncePerPeriodAndConcurrentCallersShareTheProbe(Vertx vertx) throws Exception {
        AtomicInteger probes = new AtomicInteger();
        io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
        Readiness readiness = new Readiness(Duration.ofSeconds(5), List.of(new Readiness.Check("s3",
            "bucket music", () -> {
                probes.incrementAndGet();
                return gate.future();
            })), Duration.ofMinutes(10));
        List<Future<Readiness.Result>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(readiness.evaluate());
        }
        gate.complete();
        for (Future<Readiness.Result> a : answers) {
            assertThat(a.await(5, TimeUnit.SECONDS).ready()).isTrue();
        }
        assertThat(readiness.evaluate().await(5, TimeUnit.SECONDS).body().getJsonObject("checks")
            .getJsonObject("s3").getString("target")).isEqualTo("bucket music");
        assertThat(probes.get()).isEqualTo(1);
        // draining is never cached
        readiness.drain();
        Readiness.Result drained = readiness.evaluate().await(5, TimeUnit.SECONDS);
        assertThat(drained.ready()).isFalse();
        assertThat(drained.publicBody()).isEqualTo(new JsonObject().put("status", "down").put("draining", true));
        assertThat(probes.get()).isEqualTo(1);

        // a zero period probes at each call
        Readiness uncached = new Readiness(Duration.ofSeconds(5), List.of(new Readiness.Check("x", null, () -> {
            probes.incrementAndGet();
            return Future.succeededFuture();
        })), Duration.ZERO);
        uncached.evaluate().await(5, TimeUnit.SECONDS);
        uncached.evaluate().await(5, TimeUnit.SECONDS);
        assertThat(probes.get()).isEqualTo(3);
    }

    private static double refused() {
        var c = registry.find("s3music.stream.refused").tag("reason", "max_streams").counter();
        return c == null ? 0 : c.count();
    }

    private static ILoggingEvent waitForLine(java.util.function.Predicate<ILoggingEvent> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (captured) {
                for (ILoggingEvent e : List.copyOf(captured.list)) {
                    if (p.test(e)) {
                        return e;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such log line");
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** One request on its own connection, read to the end ({@code Connection: close}). */
    record Raw(int status, String head, String body) {
        static Raw exchange(int port, String request) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int end = all.indexOf("\r\n\r\n");
                String head = end < 0 ? all : all.substring(0, end);
                String body = end < 0 ? "" : all.substring(end + 4);
                return new Raw(head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : 0, head, body);
            }
        }
    }
}
