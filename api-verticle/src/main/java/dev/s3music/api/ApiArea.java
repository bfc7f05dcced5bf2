package dev.s3music.api;

import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;

/**
 * {@code /api}: catalog reads, song streaming, rescan commands (admin), the contract itself. The router is built from
 * {@link #CONTRACT} (vertx-web-openapi-router), so every request is validated against it before a handler runs,
 * except streaming (see {@link #router}). The contract also documents the health and metrics areas: their
 * operations pass through this router unvalidated to the areas that serve them.
 */
public final class ApiArea implements RouteArea {

    /** On the classpath of this module. */
    public static final String CONTRACT = "openapi.yaml";
    static final String MOUNT_POINT = "/api";

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.USER, "/api/songs/{id}/stream", GET, HEAD),
        RouteRule.of(Access.USER, "/api/songs/random", GET),
        RouteRule.of(Access.USER, "/api/songs", GET),
        RouteRule.of(Access.USER, "/api/songs/{id}", GET),
        RouteRule.of(Access.USER, "/api/artists", GET),
        RouteRule.of(Access.USER, "/api/artists/{id}", GET),
        RouteRule.of(Access.USER, "/api/albums", GET),
        RouteRule.of(Access.USER, "/api/albums/{id}", GET),
        RouteRule.of(Access.USER, "/api/genres", GET),
        RouteRule.of(Access.USER, "/api/search", GET),
        RouteRule.of(Access.ADMIN, "/api/admin/rescan", GET, POST),
        RouteRule.of(Access.ADMIN, "/api/admin/dlq", GET),
        RouteRule.of(Access.ADMIN, "/api/admin/dlq/redrive", POST),
        RouteRule.of(Access.PUBLIC, "/api/openapi.json", GET));

    private final CatalogReader catalog;
    private final MetadataReader metadata;
    private final StreamService streams;
    private final Duration metadataTimeout;
    private final Duration eventBusTimeout;

    /**
     * @param streams the song streaming service (shared with other areas that serve song bodies)
     */
    public ApiArea(CatalogReader catalog, MetadataReader metadata, StreamService streams, Duration metadataTimeout,
                   Duration eventBusTimeout) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.metadata = metadata == null ? MetadataReader.unavailable() : metadata;
        this.streams = Objects.requireNonNull(streams, "streams");
        this.metadataTimeout = Objects.requireNonNull(metadataTimeout, "metadataTimeout");
        this.eventBusTimeout = Objects.requireNonNull(eventBusTimeout, "eventBusTimeout");
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String mountPoint() {
        return MOUNT_POINT;
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        return OpenAPIContract.from(vertx, CONTRACT).map(contract -> router(vertx, contract));
    }

    private Router router(Vertx vertx, OpenAPIContract contract) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract);
        CatalogHandlers catalogHandlers = new CatalogHandlers(catalog, metadata, metadataTimeout);
        AdminHandlers admin = new AdminHandlers(vertx, eventBusTimeout);
        Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
            Map.entry("streamSong", streams::streamSong),
            Map.entry("headSongStream", streams::streamSong),
            Map.entry("getSong", catalogHandlers::getSong),
            Map.entry("listArtists", catalogHandlers::listArtists),
            Map.entry("getArtist", catalogHandlers::getArtist),
            Map.entry("getAlbum", catalogHandlers::getAlbum),
            Map.entry("search", catalogHandlers::search),
            Map.entry("listAlbums", catalogHandlers::listAlbums),
            Map.entry("listGenres", catalogHandlers::listGenres),
            Map.entry("randomSongs", catalogHandlers::randomSongs),
            Map.entry("listSongs", catalogHandlers::listSongs),
            Map.entry("startRescan", admin::startRescan),
            Map.entry("rescanStatus", admin::rescanStatus),
            Map.entry("dlqStatus", admin::dlqStatus),
            Map.entry("redriveDlq", admin::redriveDlq),
            Map.entry("getContract", rc -> rc.json(contract.getRawContract())));
        for (OpenAPIRoute route : builder.getRoutes()) {
            String op = route.getOperation().getOperationId();
            String path = route.getOperation().getOpenAPIPath();
            Object area = route.getOperation().getExtensions().get("x-area");
            if (!RouteTable.under(path, MOUNT_POINT) || (area != null && !"api".equals(area))) {
                // documented here, served by another area (health, metrics; auth and shares under /api, marked
                // x-area: auth): pass it on, unvalidated (that area checks its own bodies)
                route.setDoValidation(false);
                route.addHandler(RoutingContext::next);
                continue;
            }
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
        return builder.createRouter();
    }
}
