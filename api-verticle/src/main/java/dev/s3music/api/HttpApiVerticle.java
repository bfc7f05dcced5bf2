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
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: mounts the {@link RouteArea}s it is given (catalog and streaming under {@code /api}, health,
 * metrics; next auth, the web player, Subsonic) behind what every request goes through first: the request log and
 * the drain check. A failure is rendered by the area that owns the path ({@link RouteTable#owner}), with the status
 * from the one mapping, {@link ErrorStatus}. Deploy as many instances as there are event loops: they share the port.
 */
public class HttpApiVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
    /** On the classpath of this module. */
    public static final String CONTRACT = ApiArea.CONTRACT;

    /** The longest request line: 500 song ids of ~120 characters and the rest of a Subsonic query fit. */
    public static final int MAX_REQUEST_LINE = 128 * 1024;
    /** Form fields of one request body (a Subsonic form post repeats {@code songId} per song). */
    public static final int MAX_FORM_FIELDS = 4096;
    /** One form attribute: a long song id, a playlist comment. */
    public static final int MAX_FORM_ATTRIBUTE = 16 * 1024;

    private final ApiConfig config;
    private final Readiness readiness;
    private final RouteTable routes;
    /** The auth handler over {@link #routes}, or null: only tests of the areas themselves run without one. */
    private final Handler<RoutingContext> auth;
    private HttpServer server;
    private HeaderDeadline deadline;

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
     * The standard areas ({@link #standardAreas}).
     *
     * @param registry where the stream meters go ({@link ApiMetrics}); {@code GET /metrics} scrapes it when it is a
     *                 {@link PrometheusMeterRegistry} (the composition root's, which Vert.x's own meters share)
     */
    public HttpApiVerticle(ApiConfig config, CatalogReader catalog, ObjectStore store, MetadataReader metadata,
                           Readiness readiness, MeterRegistry registry) {
        this(config, readiness, standardAreas(config, catalog, store, metadata, readiness, registry));
    }

    /**
     * @param areas mounted in this order (a catch-all area such as the web player goes last); one list may serve
     *              every instance (see {@link RouteArea})
     */
    public HttpApiVerticle(ApiConfig config, Readiness readiness, List<RouteArea> areas) {
        this.config = Objects.requireNonNull(config, "config");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.routes = new RouteTable(areas);
        this.auth = null;
    }

    /**
     * The production composition: every request passes {@code auth} (built over this verticle's route table, e.g.
     * {@code table -> new AuthHandler(table, accounts, proxies)}) after the request log and the drain check, before
     * any area. The other constructors mount no auth handler: they serve the tests of the areas themselves; the
     * launcher uses only this one.
     */
    public HttpApiVerticle(ApiConfig config, Readiness readiness, List<RouteArea> areas,
                           java.util.function.Function<RouteTable, Handler<RoutingContext>> auth) {
        this.config = Objects.requireNonNull(config, "config");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.routes = new RouteTable(areas);
        this.auth = Objects.requireNonNull(auth, "auth").apply(routes);
    }

    /**
     * Health, metrics and {@code /api} (catalog, streaming, rescan) over the given ports: the list a composition
     * root extends with its other areas.
     */
    public static List<RouteArea> standardAreas(ApiConfig config, CatalogReader catalog, ObjectStore store,
                                                MetadataReader metadata, Readiness readiness, MeterRegistry registry) {
        return standardAreas(config, catalog, metadata,
            new StreamService(catalog, store, registry, config.maxStreams(), config.maxStreamsPerUser()), readiness, registry);
    }

    /**
     * As above, with the composition root's {@link StreamService}, so that other areas serving song bodies
     * (Subsonic, share links) share it.
     */
    public static List<RouteArea> standardAreas(ApiConfig config, CatalogReader catalog, MetadataReader metadata,
                                                StreamService streams, Readiness readiness, MeterRegistry registry) {
        List<RouteArea> areas = new ArrayList<>();
        areas.add(new HealthArea(readiness));
        // /metrics and the details of readiness are served on the management port (HealthVerticle) only
        areas.add(MetricsArea.elsewhere());
        areas.add(new ApiArea(catalog, metadata, streams, config.metadataTimeout(), config.eventBusTimeout()));
        return areas;
    }

    /** The checks of the single-process API: the bucket answers, the catalog counts its songs. */
    public static Readiness defaultReadiness(ApiConfig config, CatalogReader catalog, ObjectStore store) {
        return new Readiness(config.readyTimeout(), List.of(
            new Readiness.Check("s3", "bucket " + store.bucket(), store::check),
            new Readiness.Check("catalog", null, () -> catalog.size().mapEmpty())));
    }

    /** Who may call what, over every mounted area. */
    public RouteTable routeTable() {
        return routes;
    }

    @Override
    public Future<?> start() {
        deadline = new HeaderDeadline(vertx, config.headerTimeout());
        return router()
            .compose(router -> {
                HttpServerOptions options = new HttpServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    // audio does not compress and compression would break Content-Length and ranges
                    .setCompressionSupported(false)
                    .setTcpNoDelay(true)
                    // no h2c upgrade of plain-text HTTP/1.1: no client of ours needs it (browsers speak HTTP/2 only
                    // over TLS, which the load balancer ends), and the JDK client's h2c upgrade stalled a 50 KB answer
                    // of ours mid-body (HTTP/2 flow control on the upgraded stream): every answer is HTTP/1.1
                    .setHttp2ClearTextEnabled(false)
                    // no byte either way for this long: closed (a slow listener whose socket drains is not idle)
                    .setIdleTimeout((int) config.idleTimeout().toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    // Subsonic clients send hundreds of song ids (each up to ~1.4 KB of base64url for a long key)
                    // in one query string or form body (savePlayQueue, updatePlaylist, star): Netty's defaults
                    // (4 KB request line, 256 form fields of 8 KB) refuse them. The form body itself is bounded by
                    // the area's body limit.
                    .setMaxInitialLineLength(MAX_REQUEST_LINE)
                    .setMaxFormFields(MAX_FORM_FIELDS)
                    .setMaxFormAttributeSize(MAX_FORM_ATTRIBUTE)
                    .setMaxFormBufferedBytes(MAX_FORM_ATTRIBUTE);
                HttpServer created = vertx.createHttpServer(options);
                return created.connectionHandler(deadline::opened).requestHandler(router).listen();
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

    private Future<Router> router() {
        List<Future<Router>> built = new ArrayList<>();
        for (RouteArea area : routes.areas()) {
            built.add(area.router(vertx));
        }
        return Future.all(built).map(all -> {
            Router root = Router.router(vertx);
            // a head arrived: its connection's header-read deadline stops until the response ends
            root.route().handler(deadline::headReceived);
            // then the request id (response header, logs, event bus) and the access-log line
            root.route().handler(RequestLog::handle);
            // unknown methods (405) and malformed percent-encodings (400) never reach an area
            root.route().handler(RequestGuard::handle);
            // then, before any area: while draining for a shutdown new requests are refused (probes still answer);
            // requests in flight are counted so the shutdown can wait for them (streams included)
            root.route().handler(this::admitOrRefuse);
            // then who may call it: the route table's rule for method and path (none: 404), a session for USER/ADMIN
            if (auth != null) {
                root.route().handler(auth);
            }
            for (Future<Router> area : built) {
                // a route with no path mounts the area's router with its absolute paths; what it does not answer
                // falls through to the next area
                root.route().subRouter(area.result());
            }
            root.route().failureHandler(this::renderFailure);
            // what no area answers: a 404 in the format of the area owning the path (JSON by default)
            root.route().last().handler(rc ->
                rc.fail(new HttpException(404, "no such endpoint: " + rc.request().path())));
            return root;
        });
    }

    private void renderFailure(RoutingContext rc) {
        if (rc.response().headWritten()) {
            // the status line is gone (a stream failed midway): the only honest signal left is closing
            rc.request().connection().close();
            return;
        }
        ErrorStatus error = ErrorStatus.of(rc);
        ErrorRenderer renderer = routes.owner(pathOf(rc)).map(RouteArea::errorRenderer).orElse(ApiErrors.JSON);
        renderer.render(rc, error);
    }

    /**
     * The normalized path, or the raw one when it cannot be decoded (vertx-web's normalization throws on a
     * malformed percent-encoding, which {@link RequestGuard} refuses with a 400 rendered here).
     */
    private static String pathOf(RoutingContext rc) {
        try {
            return rc.normalizedPath();
        } catch (IllegalArgumentException e) {
            return rc.request().path();
        }
    }

    private void admitOrRefuse(RoutingContext rc) {
        if (routes.isProbe(rc.request().method(), rc.normalizedPath())) {
            rc.next();
            return;
        }
        if (readiness.draining()) {
            rc.response().putHeader("Connection", "close");
            ApiErrors.send(rc.response(), new ErrorStatus(503, ErrorStatus.reason(503),
                "this instance is shutting down; retry", 1));
            return;
        }
        readiness.requestStarted();
        rc.addEndHandler(ar -> {
            Future<?> written = rc.get(Readiness.WRITTEN);
            if (written == null) {
                readiness.requestEnded();
            } else {
                written.onComplete(w -> readiness.requestEnded());
            }
        });
        rc.next();
    }

    /**
     * {@code GET /metrics} for a Prometheus registry (vertx-micrometer-metrics' scraping handler), else 404: this
     * process exports no metrics. Also used by the health port of the roles without the API.
     */
    public static Handler<RoutingContext> metricsHandler(MeterRegistry registry) {
        return MetricsArea.handler(registry);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
