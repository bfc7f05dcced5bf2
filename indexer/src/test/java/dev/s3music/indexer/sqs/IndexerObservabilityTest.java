package dev.s3music.indexer.sqs;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.indexer.BytesObjectStore;
import dev.s3music.indexer.TestSupport.Queues;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.indexer.event.S3EventJson;
import dev.s3music.indexer.reconcile.ReconcileVerticle;
import dev.s3music.indexer.reconcile.Reconciler;
import dev.s3music.model.Addresses;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.trace.RequestIds;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.createQueues;
import static dev.s3music.indexer.TestSupport.send;
import static dev.s3music.indexer.TestSupport.sqsClient;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The indexer's meters after real events through ElasticMQ, and a rescan request's id in the indexer's logs. */
class IndexerObservabilityTest {

    static final String BUCKET = "music-uploads";
    static final Duration WAIT = Duration.ofSeconds(15);

    static EmbeddedSqs sqsServer;
    static SqsAsyncClient sqs;

    Vertx vertx;
    PrometheusMeterRegistry registry;
    InMemoryCatalog catalog;
    SongIndexer indexer;
    final List<String[]> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> appender;

    @BeforeAll
    static void startServers() {
        sqsServer = EmbeddedSqs.start();
        sqs = sqsClient(sqsServer.endpoint());
    }

    @AfterAll
    static void stopServers() {
        sqs.close();
        sqsServer.close();
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        catalog = new InMemoryCatalog();
        indexer = new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                // on the logging thread: the request id of the context that logged (what goes into the MDC)
                lines.add(new String[] {e.getLoggerName(), e.getFormattedMessage(), RequestIds.current()});
            }
        };
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        await(vertx.close());
    }

    @Test
    void metricsCountIndexedAndDeadLetteredEventsAndShowCatalogSizeAndDlqDepth() {
        // visibility 10 s: on a loaded machine a 1 s one expired before the batch delete, and the redelivered events
        // were counted twice (what this test checks are the meters, not the redelivery)
        Queues queues = createQueues(sqs, 10, 3);
        SqsIndexerConfig cfg = SqsIndexerConfig.of(queues.url(), queues.dlqUrl(), BUCKET).withWaitTimeSeconds(1).withPollers(1);
        await(vertx.deployVerticle(new SqsIndexerVerticle(sqs, indexer, cfg, registry)));
        Instant at = Instant.parse("2024-05-04T12:00:00Z");
        send(sqs, queues.url(), S3EventJson.created(BUCKET, "Artist/Album/01 One.mp3", 1000, "e1", "0A", at));
        send(sqs, queues.url(), S3EventJson.created(BUCKET, "Artist/Album/02 Two.mp3", 1000, "e2", "0B", at));
        send(sqs, queues.url(), "this is no S3 event");

        waitUntil("two indexed, one dead-lettered, DLQ depth read", WAIT,
            () -> registry.get("s3music.indexer.events").tag("outcome", "indexed").counter().count() == 2
                && registry.get("s3music.indexer.dlq.depth").gauge().value() == 1);
        waitUntil("catalog size read after the batch", WAIT,
            () -> registry.get("s3music.catalog.songs").gauge().value() == 2);
        String text = registry.scrape();
        assertThat(text)
            .contains("s3music_indexer_events_total{outcome=\"indexed\"} 2.0")
            .contains("s3music_indexer_events_total{outcome=\"failed\"} 0.0")
            .contains("s3music_indexer_dead_lettered_total 1.0")
            .contains("s3music_indexer_dlq_depth 1.0")
            .contains("s3music_catalog_songs 2.0");
    }

    @Test
    void rescanRequestIdIsInTheIndexersLogLine() {
        await(vertx.deployVerticle(new ReconcileVerticle(new Reconciler(new BytesObjectStore(), indexer, 100, 4),
            catalog, false)));
        Object reply = await(vertx.eventBus().request(Addresses.RESCAN_START, new JsonObject(),
            new DeliveryOptions().addHeader(RequestIds.HEADER, "rescan-req-3"))).body();
        assertThat(reply).isInstanceOf(JsonObject.class);
        String[] line = lines.stream().filter(l -> l[0].equals(ReconcileVerticle.class.getName())
            && l[1].equals("rescan requested")).findFirst().orElseThrow();
        assertThat(line[2]).isEqualTo("rescan-req-3");
    }
}
