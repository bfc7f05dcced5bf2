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
 * The management port: {@code /health/live} and {@code /health/ready} with each check's details (targets, error
 * texts: not for the public port), and what the composition root adds through {@code extraRoutes} (e.g.
 * {@code /metrics}). The API role serves it on {@code MANAGEMENT_HOST:MANAGEMENT_PORT} (loopback by default); the
 * roles without the API (indexer, metadata worker) serve it on their only port, {@code HTTP_PORT}.
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
        return new HealthArea(readiness, true).router(vertx).compose(health -> {
            Router router = Router.router(vertx);
            router.route().subRouter(health);
            extraRoutes.accept(router);
            router.route().last().handler(rc ->
                ApiErrors.send(rc.response(), 404, "no such endpoint: " + rc.request().path()));
            // HTTP/1.1 only, as the API (see HttpApiVerticle): a JDK client's h2c upgrade stalled a /metrics scrape
            return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                    .setHttp2ClearTextEnabled(false))
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
