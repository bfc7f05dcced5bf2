package dev.s3music.api;

import dev.s3music.model.trace.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request: gives it a request id ({@code X-Request-Id} from the client when it is a
 * sane token, else a new one), returns it in the response header, keeps it in the request's context-local
 * storage ({@link RequestIds}: every log line of the request carries it, and event-bus requests made for it pass
 * it on), and writes one access-log line when the response is done or the connection dies.
 *
 * <p>The access line goes to the logger {@code dev.s3music.access} with SLF4J key-value pairs (method, path,
 * status, bytes, duration_ms, request id in the MDC), so the JSON encoder gives each its own field. Why not
 * vertx-web's {@code LoggerHandler}: it formats one opaque string through Vert.x's logger, without the request
 * id or separate fields.
 */
final class RequestLog {

    /** Logger name of access lines: turn them off or route them apart in the logging config. */
    static final String ACCESS_LOGGER = "dev.s3music.access";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);

    private RequestLog() {
    }

    static void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String id = RequestIds.acceptOrCreate(req.getHeader(RequestIds.HEADER));
        RequestIds.set(id);
        long start = System.nanoTime();
        HttpServerResponse response = rc.response();
        response.putHeader(RequestIds.HEADER, id);
        // runs on the request's context: the MDC filter still finds the id
        // probes and scrapes (every few seconds from the load balancer and Prometheus) log at DEBUG only
        String path = req.path();
        boolean probe = path.startsWith("/health/") || path.equals("/metrics");
        rc.addEndHandler(ar -> {
            if (probe ? !ACCESS.isDebugEnabled() : !ACCESS.isInfoEnabled()) {
                return;
            }
            long micros = (System.nanoTime() - start) / 1000;
            int status = response.getStatusCode();
            String outcome = ar.succeeded() && response.ended() ? "" : " (connection closed)";
            (probe ? ACCESS.atDebug() : ACCESS.atInfo())
                .addKeyValue("method", req.method().name())
                .addKeyValue("path", LoggedPaths.of(req.path()))
                .addKeyValue("status", status)
                .addKeyValue("bytes", response.bytesWritten())
                .addKeyValue("duration_ms", micros / 1000.0)
                .log("{} {} {} {} B {} ms{}", req.method().name(), LoggedPaths.of(req.path()), status, response.bytesWritten(),
                    micros / 1000.0, outcome);
        });
        rc.next();
    }
}
