package dev.s3music.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.s3music.api.logging.RequestIdMdcFilter;
import dev.s3music.model.Addresses;
import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.trace.RequestIds;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics with the stream meters, and the request id in the response, the API's log lines and over the bus. */
@ExtendWith(VertxExtension.class)
class ObservabilityApiTest {

    private static final int SIZE = 300_000;

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static PrometheusMeterRegistry registry;
    static Song song;
    static WebClient client;
    static int port;
    static int managementPort;
    static ListAppender<ILoggingEvent> captured;
    static RequestIdMdcFilter mdcFilter;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        mdcFilter = new RequestIdMdcFilter();
        mdcFilter.start();
        logs.addTurboFilter(mdcFilter);
        captured = new ListAppender<>();
        captured.start();
        logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);

        env = new ApiTestServer(base);
        store = env.store(vertx);
        InMemoryCatalog catalog = new InMemoryCatalog();
        song = env.putSong(catalog, store, "Nina Simone/Pastel Blues/01 - Be My Husband.mp3",
            S3TestSupport.randomBytes(SIZE, 7));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Readiness readiness = HttpApiVerticle.defaultReadiness(ApiConfig.defaults(), catalog, store);
        HttpApiVerticle api = new HttpApiVerticle(ApiConfig.of("127.0.0.1", 0), catalog, store, null,
            readiness, registry);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        // the management port: /metrics is served there only
        HealthVerticle management = new HealthVerticle("127.0.0.1", 0, readiness,
            r -> r.get("/metrics").handler(HttpApiVerticle.metricsHandler(registry)));
        vertx.deployVerticle(management).await(20, TimeUnit.SECONDS);
        managementPort = management.actualPort();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(captured);
        logs.getTurboFilterList().remove(mdcFilter);
        store.close();
        env.close();
    }

    @BeforeEach
    void clearLogs() {
        synchronized (captured.list) {
            captured.list.clear();
        }
    }

    @Test
    void metricsExposeStreamMetersAfterAStream() {
        HttpResponse<Buffer> stream = client.get(port, "127.0.0.1", "/api/songs/" + song.id() + "/stream").send().await();
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body().length()).isEqualTo(SIZE);

        // the last slice is counted when it reaches the socket: bounded wait
        waitFor(() -> registry.get("s3music.stream.bytes").counter().count() >= SIZE);
        HttpResponse<Buffer> metrics = client.get(managementPort, "127.0.0.1", "/metrics").send().await();
        assertThat(metrics.statusCode()).isEqualTo(200);
        String text = metrics.bodyAsString();
        assertThat(text).contains("s3music_stream_bytes_total " + (double) SIZE)
            .contains("s3music_streams_active 0.0")
            .contains("s3music_stream_errors_total{reason=\"s3_midway\"} 0.0")
            .contains("s3music_stream_errors_total{reason=\"client_left\"}");
        assertThat(metrics.getHeader("Content-Type")).startsWith("text/plain");
    }

    @Test
    void clientRequestIdIsEchoedAndInEveryApiLogLineOfTheRequest() {
        HttpResponse<Buffer> r = client.get(port, "127.0.0.1", "/api/artists")
            .putHeader(RequestIds.HEADER, "client-req-42").send().await();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader(RequestIds.HEADER)).isEqualTo("client-req-42");

        ILoggingEvent access = waitForLine(e -> e.getLoggerName().equals(RequestLog.ACCESS_LOGGER)
            && "client-req-42".equals(e.getMDCPropertyMap().get(RequestIds.MDC_KEY)));
        assertThat(access.getFormattedMessage()).startsWith("GET /api/artists 200 ");
        // the JSON line as the container writes it: request id in mdc, the access fields as key-value pairs
        JsonEncoder json = new JsonEncoder();
        json.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        json.start();
        String line = new String(json.encode(access), StandardCharsets.UTF_8);
        JsonObject parsed = new JsonObject(line);
        assertThat(parsed.getJsonObject("mdc").getString("requestId")).isEqualTo("client-req-42");
        assertThat(parsed.getJsonArray("kvpList")).contains(new JsonObject().put("method", "GET"),
            new JsonObject().put("path", "/api/artists"), new JsonObject().put("status", "200"));
    }

    @Test
    void missingOrMalformedRequestIdIsReplacedByANewOne() {
        HttpResponse<Buffer> none = client.get(port, "127.0.0.1", "/health/live").send().await();
        HttpResponse<Buffer> bad = client.get(port, "127.0.0.1", "/health/live")
            .putHeader(RequestIds.HEADER, "has spaces; and=more").send().await();
        assertThat(none.getHeader(RequestIds.HEADER)).hasSize(36);
        assertThat(bad.getHeader(RequestIds.HEADER)).hasSize(36).isNotEqualTo(none.getHeader(RequestIds.HEADER));
    }

    @Test
    void requestIdTravelsWithTheRescanRequestToTheIndexersLogLines(Vertx vertx) {
        org.slf4j.Logger indexerSide = LoggerFactory.getLogger("test.indexer");
        var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.RESCAN_START, msg -> {
            RequestIds.adopt(msg);
            indexerSide.info("rescan asked");
            msg.reply(new JsonObject().put("state", "running"));
        });
        consumer.completion().await();
        try {
            HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/api/admin/rescan")
                .putHeader(RequestIds.HEADER, "rescan-7").sendJsonObject(new JsonObject()).await();
            assertThat(r.statusCode()).isEqualTo(202);
            ILoggingEvent line = waitForLine(e -> e.getLoggerName().equals("test.indexer"));
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestIds.MDC_KEY, "rescan-7");
        } finally {
            consumer.unregister().await();
        }
    }

    @Test
    void logLinesOutsideARequestCarryNoRequestId() {
        LoggerFactory.getLogger("test.outside").info("no request here");
        ILoggingEvent line = waitForLine(e -> e.getLoggerName().equals("test.outside"));
        assertThat(line.getMDCPropertyMap()).doesNotContainKey(RequestIds.MDC_KEY);
    }

    private static ILoggingEvent waitForLine(java.util.function.Predicate<ILoggingEvent> p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ILoggingEvent> copy;
            synchronized (captured.list) {
                copy = List.copyOf(captured.list);
            }
            for (ILoggingEvent e : copy) {
                if (p.test(e)) {
                    return e;
                }
            }
            pause();
        }
        throw new AssertionError("no such log line; captured: " + captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // the test thread, never an event loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
