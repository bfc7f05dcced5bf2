package dev.s3music.api.art;

import dev.s3music.api.Access;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;

/**
 * {@code GET|HEAD /api/albums/{id}/cover?size=N} (USER): the album's cover through {@link CoverArtService}.
 * Documented in {@code openapi.yaml} with {@code x-area: art} (the {@code /api} area passes it on unvalidated: the
 * id and size are checked here, and a cover request needs no worker-thread hop for validation).
 */
public final class ArtArea implements RouteArea {

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.USER, "/api/albums/{id}/cover", GET, HEAD));

    private final CoverArtService covers;

    public ArtArea(CoverArtService covers) {
        this.covers = Objects.requireNonNull(covers, "covers");
    }

    @Override
    public String name() {
        return "art";
    }

    @Override
    public String mountPoint() {
        return "/api";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.get("/api/albums/:id/cover").handler(this::cover);
        r.head("/api/albums/:id/cover").handler(this::cover);
        return Future.succeededFuture(r);
    }

    private void cover(RoutingContext rc) {
        List<String> sizes = rc.queryParam("size");
        Integer size = null;
        if (!sizes.isEmpty()) {
            String s = sizes.get(0);
            if (sizes.size() > 1 || !s.matches("\\d{1,5}")) {
                rc.fail(DomainException.invalid("size must be one whole number of pixels, 1.."
                    + CoverArtService.MAX_REQUESTED_SIZE));
                return;
            }
            size = Integer.parseInt(s);
        }
        covers.serve(rc, rc.pathParam("id"), size);
    }
}
