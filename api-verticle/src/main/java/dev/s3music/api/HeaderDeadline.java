package dev.s3music.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The header-read timeout Vert.x lacks: a connection must deliver a complete request head within {@code timeout} of
 * opening, and again within {@code timeout} of each response's end (keep-alive), else it is closed. The idle
 * timeout alone does not catch a client that trickles one header byte every few seconds (each byte resets it);
 * such a connection stayed open 25 s and more.
 *
 * <p>One per server of a verticle instance: its connections and requests all run on that instance's event loop,
 * so the map needs no lock.
 */
final class HeaderDeadline {

    private final Vertx vertx;
    private final long timeoutMillis;
    private final Map<HttpConnection, Long> timers = new HashMap<>();

    HeaderDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    void opened(HttpConnection connection) {
        arm(connection);
        connection.closeHandler(v -> cancel(connection));
    }

    /**
     * The first handler of the root router: a head arrived, so no deadline while it is answered; the next one
     * starts when its response ends (a routing-context end handler: vertx-web owns the response's end handler).
     */
    void headReceived(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpConnection connection = request.connection();
        cancel(connection);
        rc.addEndHandler(ar -> {
            if (ar.succeeded() && !request.response().closed()) {
                arm(connection);
            }
        });
        rc.next();
    }

    private void arm(HttpConnection connection) {
        cancel(connection);
        long id = vertx.setTimer(timeoutMillis, t -> {
            timers.remove(connection);
            connection.close();
        });
        timers.put(connection, id);
    }

    private void cancel(HttpConnection connection) {
        Long id = timers.remove(connection);
        if (id != null) {
            vertx.cancelTimer(id);
        }
    }
}
