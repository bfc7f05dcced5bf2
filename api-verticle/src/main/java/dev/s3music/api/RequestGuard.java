package dev.s3music.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.Set;

/**
 * Runs before any area: refuses what no route can answer and what would otherwise fail deep inside a handler.
 * <ul>
 *   <li>A method outside {@link #METHODS} answers 405. HTTP/1 accepts any token as a method, and every distinct one
 *       used to become a new meter series (2,000 random methods grew {@code /metrics} to 23 MB); the launcher's
 *       meter filter labels anything outside the same set {@code other} (Vert.x counts the request before any
 *       handler runs), and this guard makes sure no handler sees one either. 405 rather than 501: no route of this
 *       server serves an unknown method, and a 4xx keeps "no 5xx for hostile input" true.</li>
 *   <li>A malformed percent-encoding in the path or query ({@code %}, {@code %%}, {@code %zz}) answers 400 in the
 *       owning area's error format: decoding it later threw an {@link IllegalArgumentException} from the
 *       query-parameter parser, a 500 with a 63-line stack trace per request.</li>
 * </ul>
 */
public final class RequestGuard {

    /** The methods of RFC 9110 and PATCH (RFC 5789): the only values of the {@code method} meter label. */
    public static final Set<String> METHODS = Set.of(
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private RequestGuard() {
    }

    static void handle(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        if (!METHODS.contains(method.name())) {
            rc.response().putHeader("Allow", "GET, HEAD, POST");
            rc.fail(new HttpException(405, "method not allowed"));
            return;
        }
        if (!wellEncoded(rc.request().uri())) {
            rc.fail(new HttpException(400, "malformed percent-encoding in the request target"));
            return;
        }
        rc.next();
    }

    /** Every {@code %} is followed by two hex digits (RFC 3986 2.1). */
    static boolean wellEncoded(String uri) {
        if (uri == null) {
            return false;
        }
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length() || !hex(uri.charAt(i + 1)) || !hex(uri.charAt(i + 2))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
