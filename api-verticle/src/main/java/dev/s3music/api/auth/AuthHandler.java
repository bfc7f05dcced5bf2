package dev.s3music.api.auth;

import dev.s3music.api.Access;
import dev.s3music.api.RouteRule;
import dev.s3music.api.RouteTable;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Principal;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one auth handler, in front of every route (after the request log and the drain check), driven by the one
 * {@link RouteTable}: a request without a rule is a 404 (a route nobody declared is never open by accident);
 * {@link Access#PUBLIC} and {@link Access#PROBE} go on; {@link Access#USER} and {@link Access#ADMIN} need a session,
 * from {@code Authorization: Bearer <token>} or the session cookie, checked by {@link AccountService#authenticate}:
 * 401 without or with a bad one, 403 with the wrong role. The {@link Principal} is put in the routing context
 * ({@link #principal}) for the handlers.
 *
 * <p>CSRF: a state-changing request (POST, PUT, PATCH, DELETE) signed in by the cookie must come from the same
 * origin ({@code Origin} equal to the request's own scheme and host, or, without {@code Origin},
 * {@code Sec-Fetch-Site: same-origin}), else 403. A Bearer token is never sent by a browser on its own, so Bearer
 * requests need neither.
 */
public final class AuthHandler implements Handler<RoutingContext> {

    /** The routing-context key of the signed-in {@link Principal}. */
    public static final String PRINCIPAL = "s3music.principal";
    /** The routing-context key of the session token that signed the request in (for logout). */
    static final String TOKEN = "s3music.token";

    private final RouteTable routes;
    private final AccountService accounts;
    private final TrustedProxies proxies;

    public AuthHandler(RouteTable routes, AccountService accounts, TrustedProxies proxies) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.proxies = Objects.requireNonNull(proxies, "proxies");
    }

    /** The signed-in principal of a request that passed this handler on a USER or ADMIN route. */
    public static Principal principal(RoutingContext rc) {
        Principal p = rc.get(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: the route is not behind the auth handler");
        }
        return p;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Optional<RouteRule> rule = routes.find(request.method(), rc.normalizedPath());
        if (rule.isEmpty()) {
            rc.fail(new HttpException(404, "no such endpoint: " + request.method() + " " + rc.normalizedPath()));
            return;
        }
        Access access = rule.get().access();
        if (access.passesWithoutSession()) {
            // PUBLIC, PROBE, and AREA (the area signs the request in itself, e.g. Subsonic's u+p/t+s/apiKey)
            rc.next();
            return;
        }
        String token = bearer(request);
        boolean byCookie = false;
        if (token == null) {
            Cookie cookie = request.getCookie(SessionCookie.NAME);
            if (cookie != null && !cookie.getValue().isEmpty()) {
                token = cookie.getValue();
                byCookie = true;
            }
        }
        if (token == null) {
            refuse(rc, DomainException.unauthenticated("sign in first (Authorization: Bearer <token> or the session cookie)"));
            return;
        }
        if (byCookie && stateChanging(request.method()) && !sameOrigin(request, proxies)) {
            rc.fail(DomainException.forbidden("cross-site request refused: a cookie-signed " + request.method()
                + " needs a same-origin Origin header"));
            return;
        }
        String signedBy = token;
        // the check is asynchronous (Redis): hold the request body meanwhile, or it would be gone before a body
        // handler of the route can read it; resumed once the route's handlers have run up to their first wait
        boolean paused = !request.isEnded();
        if (paused) {
            request.pause();
        }
        accounts.authenticate(token).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    refuse(rc, ar.cause());
                    return;
                }
                Principal p = ar.result();
                if (access == Access.ADMIN && !p.isAdmin()) {
                    rc.fail(DomainException.forbidden("admins only"));
                    return;
                }
                rc.put(PRINCIPAL, p);
                rc.put(TOKEN, signedBy);
                rc.next();
            } finally {
                if (paused) {
                    // a body handler resumed it already; else what is left of the body is read and dropped, as
                    // without this handler
                    request.resume();
                }
            }
        });
    }

    private static void refuse(RoutingContext rc, Throwable cause) {
        if (cause instanceof DomainException d && d.kind() == DomainException.Kind.UNAUTHENTICATED) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
        }
        rc.fail(cause);
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    static String bearer(HttpServerRequest request) {
        String h = request.getHeader("Authorization");
        if (h == null || h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    static boolean stateChanging(HttpMethod m) {
        return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
    }

    /**
     * Whether the request says it comes from a page of this server: its {@code Origin} is this request's own origin
     * (scheme from the connection or a trusted proxy, host from {@code Host}), or, without {@code Origin},
     * {@code Sec-Fetch-Site: same-origin}. Neither header: refused (an old or non-browser client uses Bearer).
     */
    static boolean sameOrigin(HttpServerRequest request, TrustedProxies proxies) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return "same-origin".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"));
        }
        String self = AuthHandler.origin(request, proxies);
        return self != null && !origin.equals("null") && normalize(origin).equals(normalize(self));
    }

    /**
     * The request's own origin: {@code http} or {@code https} (the connection or a trusted proxy) and its authority
     * ({@code Host}, or HTTP/2's {@code :authority}); null without one.
     */
    public static String origin(HttpServerRequest request, TrustedProxies proxies) {
        var authority = request.authority();
        if (authority == null) {
            return null;
        }
        String scheme = proxies.secure(request) ? "https" : "http";
        String host = authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + (authority.port() >= 0 ? ":" + authority.port() : "");
    }

    /** Lower case, the default port dropped. */
    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }
}
