package dev.s3music.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The HTTP port of the roles that serve no API (indexer, metadata worker): {@code /health/live} and
 * {@code /health/ready} with the same answers as the API's (the same {@link HealthArea}), for the orchestrator's checks. {@code extraRoutes}
 * lets the composition root add more (e.g. {@code /metrics}).
 */
public final class HealthVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

    private final String host;
    private final int port;
    private final Readiness readiness;
    private final Consumer<Router> extraRoutes;
    private HttpServer server;

    public HealthVerticle(String host, int port, Readiness readiness, Consumer<Router> extraRoutes) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.extraRoutes = extraRoutes == null ? r -> { } : extraRoutes;
    }

    @Override
    public Future<?> start() {
        return new HealthArea(readiness).router(vertx).compose(health -> {
            Router router = Router.router(vertx);
            router.route().subRouter(health);
            extraRoutes.accept(router);
            router.route().last().handler(rc ->
                ApiErrors.send(rc.response(), 404, "no such endpoint: " + rc.request().path()));
            return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router).listen();
        }).onSuccess(s -> {
            server = s;
            LOG.info("health endpoints on {}:{}", host, s.actualPort());
        });
    }

    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
