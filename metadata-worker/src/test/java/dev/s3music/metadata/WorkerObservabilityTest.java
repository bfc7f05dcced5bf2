package dev.s3music.metadata;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.trace.RequestIds;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's meters after real lookups against the fake Discogs, and the asking request's id in its logs. */
class WorkerObservabilityTest {

    private static final MetadataRef COLDPLAY = MetadataRef.artist(Ids.artist("Coldplay"), "Coldplay");
    private static final String PAGE = "test.page";

    /** Each line with the request id of the context it was logged on (what the logging setup puts in the MDC). */
    record Line(String logger, String message, String requestId) {
    }

    static final class ContextAppender extends AppenderBase<ILoggingEvent> {
        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            // appenders run on the logging thread: the current context is the one that logged
            lines.add(new Line(e.getLoggerName(), e.getFormattedMessage(), RequestIds.current()));
        }
    }

    private Vertx vertx;
    private FakeDiscogs fake;
    private PrometheusMeterRegistry registry;
    private ContextAppender appender;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        fake = Await.result(FakeDiscogs.start(vertx));
        fake.rateLimit(100_000);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        appender = new ContextAppender();
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        Await.result(vertx.close());
    }

    @Test
    void lookupFromARequestCarriesItsIdToTheWorkerAndShowsInTheMeters() {
        InMemoryMetadataCache cache = new InMemoryMetadataCache();
        WorkerConfig cfg = Workers.config(fake.baseUrl(), "token", Duration.ofSeconds(30));
        Await.result(vertx.deployVerticle(DiscogsWorkerVerticle.discogs(cfg, WebClient.create(vertx),
            new InMemoryRateLimiter(100, Duration.ofSeconds(1), Duration.ZERO), new InMemoryLookupQueue(), cache,
            new InMemoryDocumentStore(), registry)));
        CachedMetadataReader reader = new CachedMetadataReader(vertx, ReaderConfig.defaults(true), cache, registry);
        // stands for an API request: a delivery with its own context and the client's request id
        Await.result(vertx.eventBus().consumer(PAGE, msg -> {
            RequestIds.adopt(msg);
            reader.metadata(COLDPLAY).onComplete(ar -> msg.reply(ar.succeeded() ? ar.result().status().name() : "failed"));
        }).completion());

        Object first = Await.result(vertx.eventBus().request(PAGE, "",
            new DeliveryOptions().addHeader(RequestIds.HEADER, "page-req-9"))).body();
        assertThat(first).isEqualTo("PENDING");
        Await.until("the worker's line", Duration.ofSeconds(5), () -> appender.lines.stream()
            .anyMatch(l -> l.logger().equals(DiscogsWorkerVerticle.class.getName()) && l.message().startsWith("lookup artist:")));
        Line workerLine = appender.lines.stream()
            .filter(l -> l.logger().equals(DiscogsWorkerVerticle.class.getName()) && l.message().startsWith("lookup artist:"))
            .findFirst().orElseThrow();
        assertThat(workerLine.requestId()).isEqualTo("page-req-9");
        assertThat(workerLine.message()).endsWith("QUEUED");

        Await.until("ready", Duration.ofSeconds(10),
            () -> Await.result(reader.metadata(COLDPLAY)).status() == Metadata.Status.READY);
        Await.result(reader.metadata(COLDPLAY)); // an L1 hit

        String text = registry.scrape();
        assertThat(text)
            .contains("s3music_discogs_calls_total{outcome=\"ok\"} 2.0")
            .contains("s3music_metadata_lookups_total{status=\"queued\"} 1.0")
            .contains("s3music_metadata_queue_depth ")
            .containsPattern("s3music_metadata_cache_requests_total\\{layer=\"l1\",result=\"hit\"} [1-9]")
            .containsPattern("s3music_metadata_cache_requests_total\\{layer=\"shared\",result=\"miss\"} [1-9]")
            .containsPattern("s3music_metadata_cache_requests_total\\{layer=\"shared\",result=\"hit\"} [1-9]");
        assertThat(text).containsPattern("s3music_discogs_ratelimit_remaining \\d+\\.0");
        // the depth gauge follows the queue as the worker takes and finishes lookups: it comes back to 0 (a busy
        // machine read it at 1 between the lookup's READY and the gauge's refresh)
        Await.until("queue depth gauge back to 0", Duration.ofSeconds(10),
            () -> registry.get("s3music.metadata.queue.depth").gauge().value() == 0);
    }
}
