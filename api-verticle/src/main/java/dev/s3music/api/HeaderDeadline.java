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
    /**
     * Per open connection: its pending deadline timer (-1: none; Vert.x timer ids start at 0) and the number of
     * requests being answered on it.
     */
    private final Map<HttpConnection, long[]> connections = new HashMap<>();

    HeaderDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    void opened(HttpConnection connection) {
        connections.put(connection, new long[] {-1, 0});
        arm(connection);
        connection.closeHandler(v -> {
            cancel(connection);
            connections.remove(connection);
        });
    }

    /**
     * The first handler of the root router: a head arrived, so no deadline while it is answered; the next one
     * starts when the last request being answered on the connection ends (HTTP/2 multiplexes: a stream still
     * playing keeps the connection free of a deadline). A routing-context end handler: vertx-web owns the
     * response's end handler.
     */
    void headReceived(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpConnection connection = request.connection();
        long[] state = connections.get(connection);
        if (state != null) {
            cancel(connection);
            state[1]++;
            rc.addEndHandler(ar -> {
                state[1]--;
                if (state[1] == 0 && connections.containsKey(connection) && ar.succeeded()
                    && !request.response().closed()) {
                    arm(connection);
                }
            });
        }
        rc.next();
    }

    private void arm(HttpConnection connection) {
        long[] state = connections.get(connection);
        if (state == null) {
            return;
        }
        cancel(connection);
        state[0] = vertx.setTimer(timeoutMillis, t -> {
            state[0] = -1;
            connection.close();
        });
    }

    private void cancel(HttpConnection connection) {
        long[] state = connections.get(connection);
        if (state != null && state[0] != -1) {
            vertx.cancelTimer(state[0]);
            state[0] = -1;
        }
    }
}
