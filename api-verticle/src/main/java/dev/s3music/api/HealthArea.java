package dev.s3music.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;

/**
 * {@code /health/live} and {@code /health/ready}: probes of the orchestrator, answered while draining. Mounted by
 * the API verticle and by {@link HealthVerticle} on the roles without the API.
 */
public final class HealthArea implements RouteArea {

    private static final List<RouteRule> ROUTES = List.of(RouteRule.of(Access.PROBE, "/health/*"));

    private final Readiness readiness;

    public HealthArea(Readiness readiness) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    @Override
    public String name() {
        return "health";
    }

    @Override
    public String mountPoint() {
        return "/health";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        HealthHandlers health = new HealthHandlers(readiness);
        Router router = Router.router(vertx);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        return Future.succeededFuture(router);
    }
}
