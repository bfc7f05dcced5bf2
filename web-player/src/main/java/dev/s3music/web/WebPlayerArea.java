package dev.s3music.web;

import dev.s3music.api.Access;
import dev.s3music.api.ApiErrors;
import dev.s3music.api.ErrorRenderer;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The web player at {@code /}: {@code index.html} for the app's own paths (it routes them in the browser), and its
 * files under {@code /assets/<version>/} (see {@link WebAssets}), all PUBLIC (the page asks {@code /api/me} and shows
 * the sign-in when there is no session). A catch-all area: mounted last. Unknown paths asked by a browser page
 * (GET accepting {@code text/html}) get {@code index.html} with status 404, so the app says "not found"; other
 * clients get the JSON error.
 *
 * <pre>
 *   browser ── GET /, /artists/…, /albums/… ──▶ index.html (no-cache, gzip)
 *           ── GET /assets/&lt;version&gt;/app.js ─▶ module (immutable, 1 year, gzip)
 *           ── fetch /api/…, &lt;audio src=/api/songs/{id}/stream&gt; ──▶ the other areas
 *           ── PUT part ──▶ S3 (presigned URLs from /api/admin/uploads)
 * </pre>
 */
public final class WebPlayerArea implements RouteArea {

    /** The app's own paths (each also with any rest): the browser router's pages. */
    static final List<String> PAGES = List.of("/login", "/setup", "/artists", "/albums", "/songs", "/search",
        "/queue", "/favourites", "/playlists", "/recent", "/most-played", "/admin");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final WebAssets assets;
    private final String csp;
    private final List<RouteRule> routes;

    /**
     * @param s3Origins the S3 endpoint's origins besides the page's own: upload parts are PUT there (presigned
     *                  URLs), and a song may be answered with a redirect to a presigned GET there (e.g.
     *                  {@code http://127.0.0.1:9000}, or {@code https://*.amazonaws.com}); empty for none
     */
    public WebPlayerArea(List<String> s3Origins) {
        this.assets = WebAssets.load();
        String s3 = s3Origins.isEmpty() ? "" : " " + String.join(" ", s3Origins);
        this.csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self'" + s3 + "; connect-src 'self'" + s3
            + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        List<RouteRule> r = new ArrayList<>();
        r.add(RouteRule.of(Access.PUBLIC, "/", HttpMethod.GET, HttpMethod.HEAD));
        r.add(RouteRule.of(Access.PUBLIC, "/index.html", HttpMethod.GET, HttpMethod.HEAD));
        r.add(RouteRule.of(Access.PUBLIC, "/favicon.ico", HttpMethod.GET, HttpMethod.HEAD));
        r.add(RouteRule.of(Access.PUBLIC, "/assets/*", HttpMethod.GET, HttpMethod.HEAD));
        for (String page : PAGES) {
            r.add(RouteRule.of(Access.PUBLIC, page + "/*", HttpMethod.GET, HttpMethod.HEAD));
        }
        this.routes = List.copyOf(r);
    }

    public WebPlayerArea() {
        this(List.of());
    }

    /** The folder of this build's files, {@code /assets/<version>}. */
    public String assetsPath() {
        return "/assets/" + assets.version();
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public String mountPoint() {
        return "/";
    }

    @Override
    public List<RouteRule> routes() {
        return routes;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/favicon.ico").handler(rc -> {
            rc.response().setStatusCode(301)
                .putHeader(HttpHeaders.LOCATION, assetsPath() + "/icon.svg")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=86400").end();
        });
        router.route("/assets/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> {
            WebAssets.Asset a = assets.asset(rc.normalizedPath()).orElse(null);
            if (a == null) {
                rc.next(); // an older or unknown version: the verticle's 404
                return;
            }
            send(rc, a, 200, IMMUTABLE);
        });
        router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::index);
        router.route("/index.html").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::index);
        for (String page : PAGES) {
            router.route(page).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::index);
            router.route(page + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::index);
        }
        return Future.succeededFuture(router);
    }

    /** A browser page gets the app (which says "not found") with the status; other clients JSON. */
    @Override
    public ErrorRenderer errorRenderer() {
        return (rc, error) -> {
            HttpServerRequest req = rc.request();
            String accept = Objects.toString(req.getHeader(HttpHeaders.ACCEPT), "");
            boolean page = (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
                && accept.contains("text/html") && error.status() == 404;
            if (page) {
                send(rc, assets.index(), 404, "no-cache");
            } else {
                ApiErrors.JSON.render(rc, error);
            }
        };
    }

    private void index(RoutingContext rc) {
        send(rc, assets.index(), 200, "no-cache");
    }

    private void send(RoutingContext rc, WebAssets.Asset a, int status, String cacheControl) {
        HttpServerResponse res = rc.response();
        res.putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
            .putHeader(HttpHeaders.ETAG, a.etag())
            .putHeader(HttpHeaders.VARY, "Accept-Encoding")
            .putHeader("X-Content-Type-Options", "nosniff");
        if (a == assets.index()) {
            res.putHeader("Content-Security-Policy", csp)
                .putHeader("Referrer-Policy", "same-origin");
        }
        String inm = rc.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (status == 200 && inm != null && etagMatches(inm, a.etag())) {
            res.setStatusCode(304).end();
            return;
        }
        boolean gzip = acceptsGzip(rc.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        byte[] body = gzip ? a.gzip() : a.body();
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, a.contentType());
        if (gzip) {
            res.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        res.end(Buffer.buffer(body));
    }

    static boolean etagMatches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String s = t.trim();
            if (s.equals("*") || s.equals(etag) || s.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** {@code gzip} listed without {@code q=0} (RFC 9110 12.5.3); {@code *} counts too. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim();
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                boolean zero = false;
                for (int i = 1; i < p.length; i++) {
                    String param = p[i].trim().replace(" ", "");
                    if (param.matches("q=0(\\.0{0,3})?")) {
                        zero = true;
                    }
                }
                return !zero;
            }
        }
        return false;
    }
}
