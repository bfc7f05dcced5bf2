package dev.s3music.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.s3music.embedded.FreePorts;
import dev.s3music.model.trace.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /metrics of the composition root (Vert.x and domain meters in one registry), request ids, the log formats. */
class ObservabilityTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metricsShowVertxAndDomainMetersAndResponsesCarryTheRequestId(@TempDir Path tmp) throws Exception {
        int httpPort = FreePorts.next();
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", tmp.resolve("m").toString(),
            "HTTP_PORT", String.valueOf(httpPort), "S3_PORT", "0", "HTTP_INSTANCES", "2")));
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        String bearer = TestSignIn.bearer(base);
        JsonObject artists = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve("/api/artists")).header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        String artistId = artists.getJsonArray("items").getJsonObject(0).getString("id");
        JsonObject artist = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve("/api/artists/" + artistId)).header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        String albumId = artist.getJsonArray("albums").getJsonObject(0).getString("id");
        JsonObject album = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve("/api/albums/" + albumId)).header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        String songId = album.getJsonArray("songs").getJsonObject(0).getString("id");

        HttpResponse<byte[]> stream = http.send(HttpRequest.newBuilder(base.resolve("/api/songs/" + songId + "/stream")).header("Authorization", bearer)
            .header("Range", "bytes=0-999").header(RequestIds.HEADER, "launcher-req-1").timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stream.statusCode()).isEqualTo(206);
        assertThat(stream.headers().firstValue(RequestIds.HEADER)).contains("launcher-req-1");

        String metrics = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!metrics.contains("s3music_stream_bytes_total 1000.0") && System.nanoTime() < deadline) {
            // the management port: the API port answers /metrics with 404
            metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort()
                    + "/metrics")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(metrics)
            .contains("s3music_stream_bytes_total 1000.0")     // both API instances feed one set of meters
            .contains("s3music_streams_active 0.0")
            .contains("s3music_indexer_events_total{outcome=\"indexed\"}")
            .contains("s3music_indexer_dlq_depth")
            .contains("s3music_catalog_songs")
            .contains("vertx_http_server_requests_total")     // Vert.x's own meters, same registry
            .contains("jvm_memory_used_bytes");
    }

    @Test
    void httpMethodLabelsComeFromAFixedSetAndRouteLabelsAreBounded() {
        var registry = Observability.bounded(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        for (int i = 0; i < 2000; i++) {
            registry.counter("vertx.http.server.requests", "method", "M" + "x".repeat(1000) + i, "route", "/r" + i)
                .increment();
        }
        registry.counter("vertx.http.server.requests", "method", "GET", "route", "/r0").increment();
        String scrape = registry.scrape();
        assertThat(scrape).contains("method=\"other\"").contains("method=\"GET\"").doesNotContain("method=\"Mx");
        assertThat(registry.find("vertx.http.server.requests").counters())
            .hasSizeLessThanOrEqualTo(Observability.MAX_ROUTES + 1);
        assertThat(scrape.length()).isLessThan(100_000);
    }

    @Test
    void badLogFormatFailsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> Observability.checkLogFormat(Map.of("LOG_FORMAT", "xml")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_FORMAT");
        Observability.checkLogFormat(Map.of("LOG_FORMAT", "json"));
        Observability.checkLogFormat(Map.of());
    }

    @Test
    void textIsTheDefaultFormat() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        var out = (ch.qos.logback.core.OutputStreamAppender<?>) ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("OUT");
        assertThat(out.getEncoder()).isInstanceOf(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class);
        // a clean configuration: no warning (logback would print its whole status at every start)
        assertThat(ctx.getStatusManager().getCopyOfStatusList())
            .noneMatch(st -> st.getEffectiveLevel() >= ch.qos.logback.core.status.Status.WARN);
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheRequestIdOfTheMessage() throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.putProperty("LOG_FORMAT", "json");
        // the MDC the filter writes (org.slf4j.MDC) is the default context's
        ctx.setMDCAdapter(((LoggerContext) LoggerFactory.getILoggerFactory()).getMDCAdapter());
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Vertx vertx = Vertx.vertx();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(ctx);
            joran.doConfigure(ObservabilityTest.class.getResource("/logback.xml"));
            org.slf4j.Logger log = ctx.getLogger("dev.s3music.test");
            vertx.eventBus().consumer("test.json-log", m -> {
                RequestIds.adopt(m);
                log.info("worker says {}", m.body());
                m.reply("ok");
            }).completion().await();
            vertx.eventBus().request("test.json-log", "hello",
                new DeliveryOptions().addHeader(RequestIds.HEADER, "json-req-5")).await();
        } finally {
            System.setOut(stdout);
            ctx.stop();
            vertx.close().await();
        }
        String line = out.toString(StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains("worker says")).findFirst()
            .orElseThrow(() -> new AssertionError("no JSON line in: " + out + " status: " + ctx.getStatusManager().getCopyOfStatusList()));
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("level")).isEqualTo("INFO");
        assertThat(json.getString("loggerName")).isEqualTo("dev.s3music.test");
        assertThat(json.getString("formattedMessage")).isEqualTo("worker says hello");
        assertThat(json.getJsonObject("mdc").getString("requestId")).isEqualTo("json-req-5");
        assertThat(json.containsKey("context")).isFalse();
        assertThat(ctx.getStatusManager().getCopyOfStatusList())
            .noneMatch(st -> st.getEffectiveLevel() >= ch.qos.logback.core.status.Status.WARN);
    }
}
