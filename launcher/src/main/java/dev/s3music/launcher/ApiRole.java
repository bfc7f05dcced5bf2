package dev.s3music.launcher;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HealthVerticle;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.metadata.CachedMetadataReader;
import dev.s3music.metadata.ReaderConfig;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.MetadataReader;
import io.vertx.core.DeploymentOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * The wiring of {@code ROLE=api} (and of the API inside {@code ROLE=all}): {@code HTTP_INSTANCES} HTTP verticles on
 * the shared catalog, S3 client and readiness, with the cached metadata reader. Roles without the API get a
 * health port instead ({@link #startHealthPort}): readiness, liveness and {@code /metrics}.
 */
final class ApiRole {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRole.class);

    private ApiRole() {
    }

    /** Deploys the API; returns the port it listens on. */
    static int start(SharedClients shared, Catalog catalog, Readiness readiness) throws Exception {
        LauncherConfig.Http http = shared.config().http();
        MetadataReader metadata = metadataReader(shared);
        int port = http.port() == 0 ? freePort() : http.port();
        ApiConfig apiConfig = ApiConfig.of(http.host(), port);
        long t = System.nanoTime();
        try {
            shared.vertx().deployVerticle(() -> new HttpApiVerticle(apiConfig, catalog, shared.store(), metadata,
                        readiness, shared.observability().registry()),
                    new DeploymentOptions().setInstances(http.instances()))
                .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(http, port, e);
        }
        LOG.info("HTTP API ({} instances) deployed in {} ms", http.instances(), Steps.millisSince(t));
        return port;
    }

    /**
     * The API's metadata reader. ROLE=all knows whether it runs a worker (a token); ROLE=api never sees the token
     * (it is the worker's secret), so it always asks and the worker answers {@code unavailable} without one.
     */
    private static MetadataReader metadataReader(SharedClients shared) {
        LauncherConfig config = shared.config();
        boolean enabled = config.role() == Role.API || config.discogs().token().isPresent();
        return enabled ? new CachedMetadataReader(shared.vertx(), ReaderConfig.defaults(true), shared.metadataCache(),
            shared.observability().registry()) : MetadataReader.unavailable();
    }

    /** The health port of roles without the API (indexer, metadata worker); returns the port it listens on. */
    static int startHealthPort(SharedClients shared, Readiness readiness) throws Exception {
        LauncherConfig.Http http = shared.config().http();
        int port = http.port() == 0 ? freePort() : http.port();
        try {
            shared.vertx().deployVerticle(new HealthVerticle(http.host(), port, readiness,
                    r -> r.get("/metrics").handler(HttpApiVerticle.metricsHandler(shared.observability().registry()))))
                .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(http, port, e);
        }
        return port;
    }

    private static Exception httpFailure(LauncherConfig.Http http, int port, Exception e) {
        // NIO reports a BindException; the native (epoll) transport a Netty NativeIoException with EADDRINUSE
        // (Netty exposes no EADDRINUSE constant: its message is strerror's)
        if (e instanceof java.net.BindException || e instanceof io.netty.channel.unix.Errors.NativeIoException
            && String.valueOf(e.getMessage()).contains("Address already in use")) {
            return new ConfigException("HTTP_PORT", "cannot listen on " + http.host() + ":" + port
                + " (" + e.getMessage() + "); choose another port, or 0 for a free one");
        }
        return new IllegalStateException("starting HTTP on port " + port + ": " + e.getMessage(), e);
    }

    /**
     * {@code HTTP_PORT=0}: a free port chosen before the deploy, so every HTTP verticle instance listens on the
     * same one and the banner can print it (the same way embedded-services' {@code FreePorts} picks one).
     */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
