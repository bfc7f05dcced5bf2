package dev.s3music.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;

/**
 * {@code /health/live} and {@code /health/ready}: probes of the orchestrator, answered while draining. Mounted by
 * the API verticle (status only) and by {@link HealthVerticle}, the management port (with each check's details).
 */
public final class HealthArea implements RouteArea {

    private static final List<RouteRule> ROUTES = List.of(RouteRule.of(Access.PROBE, "/health/*"));

    private final Readiness readiness;
    private final boolean details;

    /** The public port's: {@code /health/ready} answers its status only ({@code {"status":"up"}}). */
    public HealthArea(Readiness readiness) {
        this(readiness, false);
    }

    /**
     * @param details whether {@code /health/ready} shows each check's target (a queue URL holds the AWS account id)
     *                and error text: true on the management port only
     */
    public HealthArea(Readiness readiness, boolean details) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.details = details;
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
        HealthHandlers health = new HealthHandlers(readiness, details);
        Router router = Router.router(vertx);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        return Future.succeededFuture(router);
    }
}
