package dev.s3music.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /metrics}: the Prometheus scrape of the process registry, answered while draining, on the management
 * port; the public port mounts {@link #elsewhere()} (404).
 */
public final class MetricsArea implements RouteArea {

    private static final List<RouteRule> ROUTES = List.of(RouteRule.of(Access.PROBE, "/metrics"));

    private final MeterRegistry registry;

    /** @param registry scraped at {@code /metrics}; {@link ApiMetrics#NONE} answers 404 (see {@link #elsewhere()}) */
    public MetricsArea(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The public port's: {@code /metrics} stays a route of the contract but answers 404, the scrape being served
     * on the management port only (meter names and counts are not for anyone on the internet).
     */
    public static MetricsArea elsewhere() {
        return new MetricsArea(ApiMetrics.NONE);
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public String mountPoint() {
        return "/metrics";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(handler(registry));
        return Future.succeededFuture(router);
    }

    /**
     * {@code GET /metrics} for a Prometheus registry (vertx-micrometer-metrics' scraping handler), else 404: this
     * process exports no metrics.
     */
    static Handler<RoutingContext> handler(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return PrometheusScrapingHandler.create(prometheus);
        }
        return rc -> ApiErrors.send(rc.response(), 404, "metrics are served on the management port");
    }
}
