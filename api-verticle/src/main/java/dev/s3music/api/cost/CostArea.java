package dev.s3music.api.cost;

import dev.s3music.api.Access;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /api/admin/costs} (ADMIN): the {@link CostPanel} as JSON. Documented in the {@code /api} contract
 * ({@code x-area: costs}, passed on by the {@code /api} router), served here so the composition root adds it with
 * one line beside the other areas.
 */
public final class CostArea implements RouteArea {

    static final String PATH = "/api/admin/costs";
    private static final List<RouteRule> ROUTES = List.of(RouteRule.of(Access.ADMIN, PATH, HttpMethod.GET));

    private final CostPanel panel;

    public CostArea(CostPanel panel) {
        this.panel = Objects.requireNonNull(panel, "panel");
    }

    @Override
    public String name() {
        return "costs";
    }

    @Override
    public String mountPoint() {
        return PATH;
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.get(PATH).handler(rc -> panel.snapshot().onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(ar.result().encode());
        }));
        return Future.succeededFuture(r);
    }
}
