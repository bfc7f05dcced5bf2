package dev.s3music.api;

import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.port.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * The HTTP API: song streaming with ranges and conditional requests, catalog reads, rescan commands, health.
 *
 * <p>The router is built from {@code openapi.yaml} (vertx-web-openapi-router), so every request is validated
 * against the contract before a handler runs; failures of any kind are turned into HTTP answers in one place,
 * {@link ApiErrors}. Deploy as many instances as there are event loops: they share the port.
 */
public class HttpApiVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
    /** On the classpath of this module. */
    public static final String CONTRACT = "openapi.yaml";

    private final ApiConfig config;
    private final CatalogReader catalog;
    private final ObjectStore store;
    private final MetadataReader metadata;
    private final Readiness readiness;
    private final MeterRegistry registry;
    private HttpServer server;

    /** Readiness checks the S3 bucket and the catalog (each with {@link ApiConfig#readyTimeout()}). */
    public HttpApiVerticle(ApiConfig config, CatalogReader catalog, ObjectStore store, MetadataReader metadata) {
        this(config, catalog, store, metadata, defaultReadiness(config, catalog, store));
    }

    /**
     * @param readiness the checks of {@code /health/ready} and the drain switch, built by the composition root for
     *                  its role and shared by every instance of this verticle
     */
    public HttpApiVerticle(ApiConfig config, CatalogReader catalog, ObjectStore store, MetadataReader metadata,
                           Readiness readiness) {
        this(config, catalog, store, metadata, readiness, ApiMetrics.NONE);
    }

    /**
     * @param registry where the stream meters go ({@link ApiMetrics}); {@code GET /metrics} scrapes it when it is a
     *                 {@link PrometheusMeterRegistry} (the composition root's, which Vert.x's own meters share)
     */
    public HttpApiVerticle(ApiConfig config, CatalogReader catalog, ObjectStore store, MetadataReader metadata,
                           Readiness readiness, MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = Objects.requireNonNull(store, "store");
        this.metadata = metadata == null ? MetadataReader.unavailable() : metadata;
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    /** The checks of the single-process API: the bucket answers, the catalog counts its songs. */
    public static Readiness defaultReadiness(ApiConfig config, CatalogReader catalog, ObjectStore store) {
        return new Readiness(config.readyTimeout(), java.util.List.of(
            new Readiness.Check("s3", "bucket " + store.bucket(), store::check),
            new Readiness.Check("catalog", null, () -> catalog.size().mapEmpty())));
    }

    @Override
    public Future<?> start() {
        return OpenAPIContract.from(vertx, CONTRACT)
            .map(this::router)
            .compose(router -> {
                HttpServerOptions options = new HttpServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    // audio does not compress and compression would break Content-Length and ranges
                    .setCompressionSupported(false)
                    .setTcpNoDelay(true);
                return vertx.createHttpServer(options).requestHandler(router).listen();
            })
            .onSuccess(s -> {
                server = s;
                LOG.info("HTTP API listening on {}:{}", config.host(), s.actualPort());
            });
    }

    /** The port the server listens on (useful with port 0). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private Router router(OpenAPIContract contract) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract);
        SongStreamHandler stream = new SongStreamHandler(catalog, store, ApiMetrics.of(registry));
        CatalogHandlers catalogHandlers = new CatalogHandlers(catalog, metadata, config.metadataTimeout());
        AdminHandlers admin = new AdminHandlers(vertx, config.eventBusTimeout());
        HealthHandlers health = new HealthHandlers(readiness);
        // before any route: while draining for a shutdown new API requests are refused (health still answers);
        // requests in flight are counted so the shutdown can wait for them (streams included)
        // first of all: the request id (response header, logs, event bus) and the access-log line
        builder.rootHandler(RequestLog::handle);
        builder.rootHandler(this::admitOrRefuse);

        Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
            Map.entry("streamSong", stream::streamSong),
            Map.entry("headSongStream", stream::streamSong),
            Map.entry("getSong", catalogHandlers::getSong),
            Map.entry("listArtists", catalogHandlers::listArtists),
            Map.entry("getArtist", catalogHandlers::getArtist),
            Map.entry("getAlbum", catalogHandlers::getAlbum),
            Map.entry("search", catalogHandlers::search),
            Map.entry("startRescan", admin::startRescan),
            Map.entry("rescanStatus", admin::rescanStatus),
            Map.entry("getContract", rc -> rc.json(contract.getRawContract())),
            Map.entry("live", health::live),
            Map.entry("ready", health::ready),
            Map.entry("scrapeMetrics", metricsHandler(registry)));
        for (OpenAPIRoute route : builder.getRoutes()) {
            String op = route.getOperation().getOperationId();
            Handler<RoutingContext> h = handlers.get(op);
            if (h == null) {
                throw new IllegalStateException("no handler for operation " + op + " of " + CONTRACT);
            }
            route.addHandler(h);
            if (op.equals("streamSong") || op.equals("headSongStream")) {
                // The contract validator runs each request on a worker thread (executeBlocking): a thread hop
                // on every seek. The one parameter, the id, gets a stricter check in the handler
                // (Ids.songKey: canonical base64url naming a valid library key), so streaming skips it.
                route.setDoValidation(false);
            }
        }
        Router router = builder.createRouter();
        router.route().failureHandler(ApiErrors::handle);
        // what the contract does not know: JSON 404 rather than vertx-web's HTML page
        router.route().last().handler(rc -> ApiErrors.send(rc.response(), 404, "no such endpoint: " + rc.request().path()));
        return router;
    }

    private void admitOrRefuse(RoutingContext rc) {
        if (rc.request().path().startsWith("/health/") || rc.request().path().equals("/metrics")) {
            rc.next();
            return;
        }
        if (readiness.draining()) {
            rc.response().putHeader("Connection", "close").putHeader("Retry-After", "1");
            ApiErrors.send(rc.response(), 503, "this instance is shutting down; retry");
            return;
        }
        readiness.requestStarted();
        rc.addEndHandler(ar -> readiness.requestEnded());
        rc.next();
    }

    /**
     * {@code GET /metrics} for a Prometheus registry (vertx-micrometer-metrics' scraping handler), else 404: this
     * process exports no metrics. Also used by the health port of the roles without the API.
     */
    public static Handler<RoutingContext> metricsHandler(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return PrometheusScrapingHandler.create(prometheus);
        }
        return rc -> ApiErrors.send(rc.response(), 404, "metrics are not enabled in this process");
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
