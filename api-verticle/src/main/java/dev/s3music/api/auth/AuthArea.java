package dev.s3music.api.auth;

import static dev.s3music.api.JsonReplies.body;
import static dev.s3music.api.JsonReplies.noContent;
import static dev.s3music.api.JsonReplies.reply;
import static dev.s3music.api.JsonReplies.send;

import dev.s3music.api.Access;
import dev.s3music.api.ApiErrors;
import dev.s3music.api.ErrorStatus;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.Share;
import dev.s3music.model.auth.ShareService;
import dev.s3music.model.auth.SignIn;
import dev.s3music.model.auth.SubsonicCredentials;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.auth.UserView;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

/**
 * Sign-in, one's own account, user administration, the first-run setup and share links, under {@code /api}
 * (documented in {@code openapi.yaml} with {@code x-area: auth}; the {@code /api} area passes those operations on).
 * Every handler of a USER or ADMIN route reads the principal the {@link AuthHandler} put in the context; request
 * bodies are JSON of at most {@link #BODY_LIMIT} bytes (413 beyond).
 */
public final class AuthArea implements RouteArea {

    /** The largest request body: a username, two passwords of at most 256 bytes and field names fit many times. */
    public static final long BODY_LIMIT = 8 * 1024;
    /** Share links: {@code expiresIn} when absent, and its bounds. */
    public static final Duration SHARE_DEFAULT = Duration.ofDays(7);
    public static final Duration SHARE_MIN = Duration.ofMinutes(1);
    public static final Duration SHARE_MAX = Duration.ofDays(90);

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.PUBLIC, "/api/auth/login", POST),
        RouteRule.of(Access.USER, "/api/auth/logout", POST),
        RouteRule.of(Access.USER, "/api/me", GET),
        RouteRule.of(Access.USER, "/api/me/password", PUT),
        RouteRule.of(Access.USER, "/api/me/subsonic-password", POST),
        RouteRule.of(Access.USER, "/api/me/api-keys", POST),
        RouteRule.of(Access.ADMIN, "/api/users", GET, POST),
        RouteRule.of(Access.ADMIN, "/api/users/{username}", PATCH, DELETE),
        RouteRule.of(Access.PUBLIC, "/api/setup", GET, POST),
        RouteRule.of(Access.USER, "/api/shares", GET, POST),
        RouteRule.of(Access.USER, "/api/shares/{id}", DELETE));

    private final AccountService accounts;
    private final ShareService shares;
    private final TrustedProxies proxies;
    private final SubsonicCredentials subsonic;

    /**
     * @param subsonic issues the Subsonic app passwords and API keys ({@code POST /api/me/subsonic-password},
     *                 {@code POST /api/me/api-keys})
     */
    public AuthArea(AccountService accounts, ShareService shares, SubsonicCredentials subsonic, TrustedProxies proxies) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.shares = Objects.requireNonNull(shares, "shares");
        this.subsonic = Objects.requireNonNull(subsonic, "subsonic");
        this.proxies = Objects.requireNonNull(proxies, "proxies");
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String mountPoint() {
        return "/api";
    }

    @Override
    public List<RouteRule> routes() {
        return ROUTES;
    }

    @Override
    public Future<Router> router(Vertx vertx) {
        Router r = Router.router(vertx);
        Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
        r.post("/api/auth/login").handler(body).handler(this::login);
        r.post("/api/auth/logout").handler(this::logout);
        r.get("/api/me").handler(this::me);
        r.put("/api/me/password").handler(body).handler(this::changePassword);
        r.post("/api/me/subsonic-password").handler(rc -> reply(rc, 201,
            subsonic.newAppPassword(AuthHandler.principal(rc)).map(pw -> new JsonObject().put("password", pw))));
        r.post("/api/me/api-keys").handler(rc -> reply(rc, 201,
            subsonic.newApiKey(AuthHandler.principal(rc)).map(k -> new JsonObject().put("apiKey", k))));
        r.get("/api/users").handler(this::listUsers);
        r.post("/api/users").handler(body).handler(this::createUser);
        r.patch("/api/users/:username").handler(body).handler(this::updateUser);
        r.delete("/api/users/:username").handler(this::deleteUser);
        r.get("/api/setup").handler(this::setupStatus);
        r.post("/api/setup").handler(body).handler(this::setup);
        r.get("/api/shares").handler(this::listShares);
        r.post("/api/shares").handler(body).handler(this::createShare);
        r.delete("/api/shares/:id").handler(this::deleteShare);
        return Future.succeededFuture(r);
    }

    // --- sign-in ---------------------------------------------------------------------------------------------------

    private void login(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String username = text(rc, in, "username", true);
        String password = username == null ? null : text(rc, in, "password", true);
        if (password == null) {
            return;
        }
        accounts.login(username, password, proxies.clientAddress(rc.request())).onComplete(ar -> {
            if (ar.succeeded()) {
                signedIn(rc, ar.result(), 200);
            } else if (ar.cause() instanceof DomainException d && d.kind() == DomainException.Kind.UNAUTHENTICATED) {
                // the one answer for an unknown user, a wrong password and a disabled account
                rc.response().putHeader("WWW-Authenticate", "Bearer");
                ApiErrors.send(rc.response(), new ErrorStatus(401, "invalid_credentials",
                    "wrong username or password", 0));
            } else {
                rc.fail(ar.cause());
            }
        });
    }

    private void signedIn(RoutingContext rc, SignIn in, int status) {
        SessionCookie.set(rc, proxies, in.token(), in.expiresAt());
        send(rc, status, new JsonObject()
            .put("token", in.token())
            .put("expiresAt", in.expiresAt().toString())
            .put("user", new JsonObject().put("username", in.user().username()).put("role", in.user().role().wire())));
    }

    private void logout(RoutingContext rc) {
        String token = rc.get(AuthHandler.TOKEN);
        noContent(rc, accounts.logout(token).onSuccess(v -> SessionCookie.clear(rc, proxies)));
    }

    private void me(RoutingContext rc) {
        reply(rc, 200, accounts.me(AuthHandler.principal(rc)).map(AuthArea::user));
    }

    private void changePassword(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String current = text(rc, in, "current", true);
        String next = current == null ? null : text(rc, in, "new", true);
        if (next == null) {
            return;
        }
        noContent(rc, accounts.changePassword(AuthHandler.principal(rc), current, next));
    }

    // --- users (admin) ---------------------------------------------------------------------------------------------

    private void listUsers(RoutingContext rc) {
        reply(rc, 200, accounts.list(AuthHandler.principal(rc)).map(users -> {
            JsonArray a = new JsonArray();
            users.forEach(u -> a.add(user(u)));
            return new JsonObject().put("users", a);
        }));
    }

    private void createUser(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String username = text(rc, in, "username", true);
        String password = username == null ? null : text(rc, in, "password", true);
        if (password == null) {
            return;
        }
        Role role = role(rc, in, Role.LISTENER);
        if (role == null) {
            return;
        }
        reply(rc, 201, accounts.create(AuthHandler.principal(rc), username, password, role).map(AuthArea::user));
    }

    private void updateUser(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String password = null;
        if (in.containsKey("password")) {
            password = text(rc, in, "password", true);
            if (password == null) {
                return;
            }
        }
        Role role = null;
        if (in.containsKey("role")) {
            role = role(rc, in, null);
            if (role == null) {
                return;
            }
        }
        Boolean disabled = null;
        if (in.containsKey("disabled")) {
            if (!(in.getValue("disabled") instanceof Boolean b)) {
                rc.fail(DomainException.invalid("disabled must be true or false"));
                return;
            }
            disabled = b;
        }
        reply(rc, 200, accounts.update(AuthHandler.principal(rc), rc.pathParam("username"),
            new UserChange(password, role, disabled)).map(AuthArea::user));
    }

    private void deleteUser(RoutingContext rc) {
        noContent(rc, accounts.delete(AuthHandler.principal(rc), rc.pathParam("username")));
    }

    // --- first run -------------------------------------------------------------------------------------------------

    private void setupStatus(RoutingContext rc) {
        reply(rc, 200, accounts.setupOpen().map(open -> new JsonObject().put("open", open)));
    }

    private void setup(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String code = text(rc, in, "code", true);
        String username = code == null ? null : text(rc, in, "username", true);
        String password = username == null ? null : text(rc, in, "password", true);
        if (password == null) {
            return;
        }
        accounts.setup(code, username, password).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                signedIn(rc, ar.result(), 201);
            }
        });
    }

    // --- shares ----------------------------------------------------------------------------------------------------

    private void createShare(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String songId = in.containsKey("songId") ? text(rc, in, "songId", true) : null;
        String albumId = in.containsKey("albumId") ? text(rc, in, "albumId", true) : null;
        if (rc.failed()) {
            return;
        }
        if ((songId == null) == (albumId == null)) {
            rc.fail(DomainException.invalid("give exactly one of songId and albumId"));
            return;
        }
        Duration expiresIn;
        try {
            expiresIn = expiresIn(in.getValue("expiresIn"));
        } catch (IllegalArgumentException e) {
            rc.fail(DomainException.invalid(e.getMessage()));
            return;
        }
        String origin = AuthHandler.origin(rc.request(), proxies);
        reply(rc, 201, shares.create(AuthHandler.principal(rc), songId, albumId, expiresIn).map(created ->
            new JsonObject()
                .put("id", created.share().id())
                .put("url", (origin == null ? "" : origin) + "/s/" + created.token())
                .put("expiresAt", created.share().expiresAt().toString())));
    }

    /**
     * {@code expiresIn}: whole seconds (a JSON number) or an ISO-8601 duration ({@code "PT12H"}, {@code "P7D"});
     * absent: {@link #SHARE_DEFAULT}; between {@link #SHARE_MIN} and {@link #SHARE_MAX}.
     */
    static Duration expiresIn(Object value) {
        Duration d;
        if (value == null) {
            d = SHARE_DEFAULT;
        } else if (value instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("expiresIn must be whole seconds");
            }
            d = Duration.ofSeconds(n.longValue());
        } else if (value instanceof String s) {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expiresIn must be seconds or an ISO-8601 duration such as P7D");
            }
        } else {
            throw new IllegalArgumentException("expiresIn must be seconds or an ISO-8601 duration such as P7D");
        }
        if (d.compareTo(SHARE_MIN) < 0 || d.compareTo(SHARE_MAX) > 0) {
            throw new IllegalArgumentException("expiresIn must lie between " + SHARE_MIN.toSeconds() + " s and "
                + SHARE_MAX.toDays() + " days");
        }
        return d;
    }

    private void listShares(RoutingContext rc) {
        reply(rc, 200, shares.list(AuthHandler.principal(rc)).map(list -> {
            JsonArray a = new JsonArray();
            list.forEach(s -> a.add(share(s)));
            return new JsonObject().put("shares", a);
        }));
    }

    private void deleteShare(RoutingContext rc) {
        noContent(rc, shares.delete(AuthHandler.principal(rc), rc.pathParam("id")));
    }

    // --- JSON ------------------------------------------------------------------------------------------------------

    static JsonObject user(UserView u) {
        return new JsonObject()
            .put("username", u.username())
            .put("role", u.role().wire())
            .put("disabled", u.disabled())
            .put("created", u.created() == null ? null : u.created().toString());
    }

    static JsonObject share(Share s) {
        return new JsonObject()
            .put("id", s.id())
            .put("owner", s.owner())
            .put("songId", s.songId())
            .put("albumId", s.albumId())
            .put("created", s.created() == null ? null : s.created().toString())
            .put("expiresAt", s.expiresAt().toString());
    }

    /** A string field, or null after failing the request (400). */
    private static String text(RoutingContext rc, JsonObject in, String field, boolean required) {
        Object v = in.getValue(field);
        if (v instanceof String s && !s.isEmpty()) {
            return s;
        }
        if (v == null && !required) {
            return null;
        }
        rc.fail(DomainException.invalid(field + " must be a non-empty string"));
        return null;
    }

    /** The role field, {@code absent} when missing, or null after failing the request (400). */
    private static Role role(RoutingContext rc, JsonObject in, Role absent) {
        Object v = in.getValue("role");
        if (v == null && absent != null) {
            return absent;
        }
        Role r = v instanceof String s ? Role.ofWire(s) : null;
        if (r == null) {
            rc.fail(DomainException.invalid("role must be admin or listener"));
        }
        return r;
    }
}
