package dev.s3music.subsonic;

import dev.s3music.api.Access;
import dev.s3music.api.ErrorRenderer;
import dev.s3music.api.ErrorStatus;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.api.StreamService;
import dev.s3music.api.art.CoverArtService;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.SubsonicCredentials;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.user.UserDataService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;

/**
 * The Subsonic / OpenSubsonic API at {@code /rest/{method}} and {@code /rest/{method}.view}: GET, POST with a form
 * body (query and form merged, repeated keys kept: the {@code formPost} extension) and HEAD. Subsonic clients send
 * their credentials with every request (never a session), so the route is {@link Access#AREA}: the auth handler
 * lets it through and this area signs each request in itself ({@link #signIn}) with {@link SubsonicCredentials}:
 * {@code u}+{@code p} (plain or {@code enc:} hex), {@code u}+{@code t}+{@code s}, or {@code apiKey}. Only
 * {@code getOpenSubsonicExtensions} answers without credentials.
 *
 * <pre>
 *  /rest/{m}[.view] ── BodyHandler (form, &lt;= 1 MB) ── f, v, c read ── m known? (else 0 / 70)
 *     └─ signIn ── apiKey ──────────────── apiKey(key)         (u too: 43; bad key: 44)
 *               ├─ u + p (enc: hex) ─────── password(u, p)      (wrong: 40; cached success)
 *               └─ u + t + s ────────────── token(u, t, s)      (no app password: 41; wrong: 40)
 *        ── admin method and not admin: 50
 *        ── stream / download ──> StreamService.stream (Range, HEAD, conditionals, caps)
 *        ── getCoverArt (album or song id, size) ──> CoverArtService.serve (resized JPEG, ETag, 304)
 *        ── any other ──> Methods ──> Node ──> ResponseWriter (XML | JSON | JSONP)
 *  failures: SubsonicException (its code), DomainException (NOT_FOUND 70, FORBIDDEN 50, ...), anything failed
 *  through rc.fail (the stream's 404/416/429/503) ──> {@link #errorRenderer()}: the envelope, never audio
 * </pre>
 */
public final class SubsonicArea implements RouteArea {

    /** A form body: 4,000 song ids of ~200 characters fit (savePlayQueue of a long queue). */
    public static final long BODY_LIMIT = 1024 * 1024;

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.AREA, "/rest/{method}", GET, POST, HEAD));

    private final CatalogReader catalog;
    private final StreamService streams;
    private final SubsonicCredentials credentials;
    private final TrustedProxies proxies;
    private final CoverArtService coverArt;
    private final Map<String, Methods.Method> methods;

    public SubsonicArea(Vertx vertx, CatalogReader catalog, StreamService streams, UserDataService userData,
                        MetadataReader metadata, AccountService accounts, SubsonicCredentials credentials, TrustedProxies proxies,
                        CoverArtService coverArt, Duration metadataTimeout, Duration eventBusTimeout) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.coverArt = Objects.requireNonNull(coverArt, "coverArt");
        Library library = new Library(catalog, Library.DEFAULT_FRESH_FOR);
        // an upload's SongIndexed (or a removal) drops the whole-library views on every instance at once
        library.listen(vertx);
        this.methods = Map.copyOf(new Methods(vertx, catalog, Objects.requireNonNull(userData, "userData"),
            Objects.requireNonNull(accounts, "accounts"), Objects.requireNonNull(metadata, "metadata"), library,
            metadataTimeout, eventBusTimeout).all());
    }

    @Override
    public String name() {
        return "subsonic";
    }

    @Override
    public String mountPoint() {
        return "/rest";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        // form bodies are merged into the request's params (repeated keys kept); no file uploads
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT).setMergeFormAttributes(true);
        r.route(GET, "/rest/:method").handler(this::handle);
        r.route(HEAD, "/rest/:method").handler(this::handle);
        r.route(POST, "/rest/:method").handler(body).handler(this::handle);
        return Future.succeededFuture(r);
    }

    /** Errors of this area: the Subsonic envelope in the format asked for, HTTP 200 (416 kept for ranges). */
    @Override
    public ErrorRenderer errorRenderer() {
        return (rc, error) -> {
            HttpServerResponse response = rc.response();
            // a binary endpoint may have set audio headers before failing: never let them describe the error
            for (String h : List.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified",
                "Content-Disposition", "Content-Type")) {
                response.headers().remove(h);
            }
            if (error.retryAfterSeconds() > 0) {
                response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
            }
            Throwable failure = rc.failure();
            int code = failure instanceof SubsonicException s ? s.code() : code(error);
            String message = failure instanceof SubsonicException s ? s.getMessage() : error.message();
            ResponseWriter.failed(response, params(rc), code, message);
            if (error.status() == 416) {
                response.setStatusCode(416);
            }
        };
    }

    private static int code(ErrorStatus error) {
        return switch (error.status()) {
            case 401 -> SubsonicException.WRONG_CREDENTIALS;
            case 403 -> SubsonicException.NOT_AUTHORISED;
            case 404 -> SubsonicException.NOT_FOUND;
            default -> SubsonicException.GENERIC;
        };
    }

    /** The request's parameters (query, and the form body once read). */
    private static MultiMap params(RoutingContext rc) {
        return rc.request().params();
    }

    // --------------------------------------------------------------------------------------------- dispatch

    private void handle(RoutingContext rc) {
        String name = rc.pathParam("method");
        if (name != null && name.endsWith(".view")) {
            name = name.substring(0, name.length() - ".view".length());
        }
        MultiMap params = params(rc);
        String method = name;
        if ("getOpenSubsonicExtensions".equals(method)) {
            // answered without sign-in (clients ask before they have credentials); credentials sent are ignored
            ResponseWriter.ok(rc.response(), params, Methods.extensions());
            return;
        }
        boolean binary = "stream".equals(method) || "download".equals(method) || "getCoverArt".equals(method);
        Methods.Method m = methods.get(method);
        if (m == null && !binary) {
            fail(rc, new SubsonicException(SubsonicException.NOT_FOUND, "unknown method: " + method));
            return;
        }
        Future<Principal> signedIn;
        try {
            signedIn = signIn(rc, params);
        } catch (SubsonicException e) {
            fail(rc, e);
            return;
        }
        signedIn.onComplete(ar -> {
            if (ar.failed()) {
                fail(rc, ar.cause());
                return;
            }
            Principal who = ar.result();
            rc.put(AuthHandler.PRINCIPAL, who);
            try {
                if (binary) {
                    serveBinary(rc, method, new Call(rc, params, who));
                    return;
                }
                if (m.admin() && !who.isAdmin()) {
                    throw new SubsonicException(SubsonicException.NOT_AUTHORISED, method + " is for admins only");
                }
                m.run().apply(new Call(rc, params, who)).onComplete(done -> {
                    if (done.failed()) {
                        fail(rc, done.cause());
                    } else {
                        ResponseWriter.ok(rc.response(), params, done.result());
                    }
                });
            } catch (RuntimeException e) {
                fail(rc, e);
            }
        });
    }

    private void serveBinary(RoutingContext rc, String method, Call c) {
        if ("getCoverArt".equals(method)) {
            String id = c.required("id");
            SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("cover art"));
            Integer size = c.get("size") == null ? null : c.integer("size", 0, 1, 4096);
            switch (p.kind()) {
                case ALBUM -> coverArt.serve(rc, p.id(), size);
                case SONG -> catalog.song(p.id()).onComplete(ar -> {
                    if (ar.failed()) {
                        fail(rc, ar.cause());
                    } else if (ar.result().isEmpty()) {
                        fail(rc, SubsonicException.notFound("cover art"));
                    } else {
                        coverArt.serve(rc, ar.result().get().albumId(), size);
                    }
                });
                default -> throw SubsonicException.notFound("cover art");
            }
            return;
        }
        // stream and download: the original file (no transcoder yet: maxBitRate, format and timeOffset are
        // answered with the original, never refused)
        String songId = Methods.inner(c.required("id"), SubsonicIds.Kind.SONG, "song");
        if ("download".equals(method)) {
            rc.response().putHeader("Content-Disposition", "attachment");
        }
        streams.stream(rc, songId);
    }

    /** Answers a failure: a Subsonic error with its code, or the shared mapping of anything else. */
    private static void fail(RoutingContext rc, Throwable cause) {
        if (rc.response().ended()) {
            return;
        }
        if (cause instanceof SubsonicException s) {
            ResponseWriter.failed(rc.response(), params(rc), s.code(), s.getMessage());
        } else if (cause instanceof DomainException d && d.kind() != DomainException.Kind.TRANSIENT) {
            int code = switch (d.kind()) {
                case NOT_FOUND -> SubsonicException.NOT_FOUND;
                case FORBIDDEN -> SubsonicException.NOT_AUTHORISED;
                case UNAUTHENTICATED -> SubsonicException.WRONG_CREDENTIALS;
                default -> SubsonicException.GENERIC;
            };
            if (d.retryAfterSeconds() > 0) {
                rc.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(d.retryAfterSeconds()));
            }
            ResponseWriter.failed(rc.response(), params(rc), code, d.getMessage());
        } else {
            rc.fail(cause); // logged and mapped once (503 for a dependency down, 500 else), rendered as the envelope
        }
    }

    // --------------------------------------------------------------------------------------------- sign-in

    /**
     * Signs the request in by the mode its parameters choose; throws {@link SubsonicException} for a request that
     * names no mode (10) or two (43).
     */
    private Future<Principal> signIn(RoutingContext rc, MultiMap params) {
        String client = proxies.clientAddress(rc.request());
        String apiKey = nonEmpty(params.get("apiKey"));
        String u = nonEmpty(params.get("u"));
        String p = nonEmpty(params.get("p"));
        String t = nonEmpty(params.get("t"));
        String s = nonEmpty(params.get("s"));
        if (apiKey != null) {
            if (u != null || p != null || t != null) {
                throw new SubsonicException(SubsonicException.CONFLICTING_MODES,
                    "apiKey goes without u, p and t (conflicting sign-in modes)");
            }
            return credentials.apiKey(apiKey, client).recover(e -> Future.failedFuture(
                DomainException.is(e, DomainException.Kind.UNAUTHENTICATED)
                    ? new SubsonicException(SubsonicException.INVALID_API_KEY, "invalid API key") : e));
        }
        if (u == null) {
            if (p == null && t == null && rc.request().getHeader("Authorization") != null) {
                // DSub sends Basic alongside u+p (ignored then); on its own it is a mode this API does not take
                throw new SubsonicException(SubsonicException.MODE_NOT_SUPPORTED,
                    "sign in with u+p, u+t+s or apiKey (the Authorization header is not a Subsonic sign-in)");
            }
            throw SubsonicException.missing("u");
        }
        if (p != null && t != null) {
            throw new SubsonicException(SubsonicException.CONFLICTING_MODES, "send p or t+s, not both");
        }
        if (p != null) {
            String password;
            try {
                password = password(p);
            } catch (IllegalArgumentException e) {
                throw new SubsonicException(SubsonicException.WRONG_CREDENTIALS, "p: enc: must be followed by hex");
            }
            return credentials.password(u, password, client).recover(SubsonicArea::wrongCredentials);
        }
        if (t != null) {
            if (s == null) {
                throw SubsonicException.missing("s");
            }
            return credentials.token(u, t, s, client).recover(e -> Future.failedFuture(
                DomainException.is(e, DomainException.Kind.PRECONDITION_FAILED)
                    ? new SubsonicException(SubsonicException.TOKEN_NOT_SUPPORTED, e.getMessage())
                    : wrongCredentialsCause(e)));
        }
        throw SubsonicException.missing("p or t+s");
    }

    private static Future<Principal> wrongCredentials(Throwable e) {
        return Future.failedFuture(wrongCredentialsCause(e));
    }

    private static Throwable wrongCredentialsCause(Throwable e) {
        if (DomainException.is(e, DomainException.Kind.UNAUTHENTICATED)) {
            return new SubsonicException(SubsonicException.WRONG_CREDENTIALS, "wrong username or password");
        }
        if (e instanceof DomainException d && d.kind() == DomainException.Kind.RATE_LIMITED) {
            return new SubsonicException(SubsonicException.GENERIC,
                "too many failed sign-ins: retry in " + d.retryAfterSeconds() + " s");
        }
        return e;
    }

    /** {@code p} as sent: plain, or {@code enc:} followed by the hex of its UTF-8 (either case). */
    static String password(String p) {
        if (p.regionMatches(true, 0, "enc:", 0, 4)) {
            return new String(HexFormat.of().parseHex(p.substring(4).toLowerCase(java.util.Locale.ROOT)),
                StandardCharsets.UTF_8);
        }
        return p;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
