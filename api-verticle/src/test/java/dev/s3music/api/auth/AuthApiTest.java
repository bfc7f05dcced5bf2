package dev.s3music.api.auth;

import dev.s3music.api.Access;
import dev.s3music.api.art.ArtArea;
import dev.s3music.api.art.CoverArtService;
import dev.s3music.api.art.RemoteImages;
import dev.s3music.api.upload.UploadArea;
import dev.s3music.model.port.EmbeddedPictures;
import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.api.RouteTable;
import dev.s3music.api.StreamService;
import dev.s3music.api.user.UserArea;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The auth handler, the auth area and share links over the real verticle, with in-memory stand-ins for the accounts
 * module ({@link FakeAccounts}, {@link FakeShares}), S3Proxy and the real S3 adapter for the share streams. The
 * first test walks every route the mounted routers know against the one route table.
 */
@ExtendWith(VertxExtension.class)
class AuthApiTest {

    static final String BUCKET = "music";
    static final byte[] ONE = S3TestSupport.randomBytes(40_000, 7);
    static final byte[] TWO = S3TestSupport.randomBytes(30_000, 8);
    static final byte[] OTHER = S3TestSupport.randomBytes(20_000, 9);
    static final String ADMIN_PW = "admin-password-1";
    static final String STUDENT_PW = "student-password-1";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport uploads;
    static S3ObjectStore store;
    static InMemoryCatalog catalog;
    static Song one;
    static Song two;
    static Song other;
    static FakeAccounts accounts;
    static FakeShares shares;
    static List<RouteArea> areas;
    static StoredUserDataService userData;
    static HttpApiVerticle api;
    static HttpApiVerticle behindProxy;
    static HttpClient http;
    static io.vertx.core.WorkerExecutor artWorker;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        uploads = new S3TestSupport(s3, BUCKET);
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        catalog = new InMemoryCatalog();
        one = put("Teacher/Etudes/01 One.mp3", ONE);
        two = put("Teacher/Etudes/02 Two.mp3", TWO);
        other = put("Teacher/Scales/01 Other.mp3", OTHER);
        accounts = new FakeAccounts().add("admin", ADMIN_PW, Role.ADMIN).add("student", STUDENT_PW, Role.LISTENER)
            .add("victim", "victim-password-1", Role.LISTENER).add("other", "other-password-1", Role.LISTENER);
        // sessions are checked a little later, as over Redis: request bodies must survive the wait
        accounts.later = vertx;
        shares = new FakeShares();
        artWorker = vertx.createSharedWorkerExecutor("auth-test-art", 1);
        userData = new StoredUserDataService(vertx, new InMemoryDocumentStore(), new InMemoryUserDataCache(),
            UserDataConfig.defaults());
        api = deploy(vertx, accounts, TrustedProxies.parse("10.0.0.0/8"));
        behindProxy = deploy(vertx, accounts, TrustedProxies.parse("127.0.0.1/32, ::1"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Song put(String key, byte[] content) {
        uploads.put(key, content);
        var info = store.head(key).await();
        Song song = Song.of(SongKey.parse(key).orElseThrow(), info.size(), info.etag(), info.lastModified());
        catalog.upsert(song).await();
        return song;
    }

    static List<RouteArea> areas(ApiConfig config, Readiness readiness, FakeAccounts accounts, TrustedProxies proxies) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamService streams = new StreamService(catalog, store, registry);
        List<RouteArea> list = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        list.add(new AuthArea(accounts, shares, new FakeSubsonicCredentials(), proxies));
        list.add(new ShareLinkArea(shares, catalog, streams));
        list.add(new ArtArea(new CoverArtService(catalog, store, store.blobs(".s3music/art/"), EmbeddedPictures.NONE,
            MetadataReader.unavailable(), RemoteImages.NONE, artWorker, Duration.ofSeconds(1))));
        list.add(new UploadArea(store.uploads()));
        list.add(new UserArea(userData, catalog, accounts));
        return list;
    }

    static HttpApiVerticle deploy(Vertx vertx, FakeAccounts accounts, TrustedProxies proxies) throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        List<RouteArea> list = areas(config, readiness, accounts, proxies);
        if (areas == null) {
            areas = list;
        }
        HttpApiVerticle v = new HttpApiVerticle(config, readiness, list,
            table -> new AuthHandler(table, accounts, proxies));
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        uploads.close();
        s3.close();
    }

    // --- HTTP helpers -----------------------------------------------------------------------------------------------

    static HttpResponse<String> call(HttpApiVerticle on, String method, String path, String body, String... headers)
        throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.actualPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        return call(api, method, path, body, headers);
    }

    static String login(String user, String password) throws Exception {
        HttpResponse<String> r = call("POST", "/api/auth/login",
            new JsonObject().put("username", user).put("password", password).encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    static String[] bearer(String token) {
        return new String[]{"Authorization", "Bearer " + token};
    }

    // --- the route walk ---------------------------------------------------------------------------------------------

    /** A route of a mounted router: one method on a path with sample values for its parameters. */
    record Walked(HttpMethod method, String path, String pattern) {
    }

    /** Every (method, path) the areas' real vertx-web routers serve, sub-routers included. */
    static List<Walked> walk(Vertx vertx, List<RouteArea> areas) throws Exception {
        List<Walked> out = new ArrayList<>();
        for (RouteArea a : areas) {
            walk(a.router(vertx).await(20, TimeUnit.SECONDS), out);
        }
        return out;
    }

    private static void walk(Router router, List<Walked> out) {
        for (Route route : router.getRoutes()) {
            if (route.getSubRouter() != null) {
                walk(route.getSubRouter(), out);
                continue;
            }
            String pattern = route.getPath();
            if (pattern == null) {
                assertThat(route.isRegexPath()).as("a regex route: declare it with a path").isFalse();
                // a path-less route (middleware such as a body handler): it answers nothing on its own; the routes
                // after it do, and they are walked
                continue;
            }
            String sample = Arrays.stream(pattern.split("/", -1))
                .map(seg -> seg.startsWith(":") ? "x" + seg.substring(1) : seg)
                .reduce((x, y) -> x + "/" + y).orElse("/");
            Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
                ? Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)
                : route.methods();
            for (HttpMethod m : methods) {
                out.add(new Walked(m, sample, pattern));
            }
        }
    }

    /** The walked routes the table declares nothing for: each would be open by accident without the 404 rule. */
    static List<Walked> undeclared(RouteTable table, List<Walked> walked) {
        return walked.stream().filter(w -> table.find(w.method(), w.path()).isEmpty()).toList();
    }

    @Test
    void everyRouteTheRoutersKnowIsInTheTableAndEnforced(Vertx vertx) throws Exception {
        RouteTable table = api.routeTable();
        List<Walked> walked = walk(vertx, areas);
        // the contract's operations too (they are what ApiArea's router is built from)
        OpenAPIContract contract = OpenAPIContract.from(vertx, HttpApiVerticle.CONTRACT).await(20, TimeUnit.SECONDS);
        for (Operation op : contract.operations()) {
            String sample = op.getOpenAPIPath().replaceAll("\\{([^}]+)}", "x$1");
            walked.add(new Walked(op.getHttpMethod(), sample, op.getOpenAPIPath()));
        }
        assertThat(walked).hasSizeGreaterThan(30);
        assertThat(undeclared(table, walked)).as("routes without a line in the route table").isEmpty();

        Set<String> seen = new LinkedHashSet<>();
        for (Walked w : walked) {
            if (!seen.add(w.method() + " " + w.path())) {
                continue;
            }
            Access access = table.find(w.method(), w.path()).orElseThrow().access();
            String method = w.method().name();
            String what = method + " " + w.path() + " (" + access + ")";
            int anonymous = call(method, w.path(), null).statusCode();
            if (access.passesWithoutSession()) {
                // PUBLIC/PROBE, or AREA: the area signs in itself (its own tests refuse anonymous calls)
                assertThat(anonymous).as(what).isNotIn(401, 403);
                continue;
            }
            assertThat(anonymous).as(what + " without a session").isEqualTo(401);
            assertThat(call(method, w.path(), null, "Authorization", "Bearer forged").statusCode())
                .as(what + " with a forged token").isEqualTo(401);
            int listener = call(method, w.path(), null, bearer(login("student", STUDENT_PW))).statusCode();
            assertThat(listener).as(what + " as a listener").isEqualTo(access == Access.ADMIN ? 403 : listener);
            if (access == Access.USER) {
                assertThat(listener).as(what + " as a listener").isNotIn(401, 403);
            }
            int admin = call(method, w.path(), null, bearer(login("admin", ADMIN_PW))).statusCode();
            assertThat(admin).as(what + " as an admin").isNotIn(401, 403);
        }
    }

    @Test
    void aRouteMissingFromTheTableIsReportedByTheWalkAndNeverOpen(Vertx vertx) throws Exception {
        RouteArea sneaky = new RouteArea() {
            public String name() {
                return "sneaky";
            }

            public String mountPoint() {
                return "/sneaky";
            }

            public List<RouteRule> routes() {
                return List.of(RouteRule.of(Access.USER, "/sneaky/declared", HttpMethod.GET));
            }

            public Future<Router> router(Vertx v) {
                Router r = Router.router(v);
                r.get("/sneaky/declared").handler(rc -> rc.end("ok"));
                r.get("/sneaky/forgotten/:id").handler(rc -> rc.end("secret"));
                return Future.succeededFuture(r);
            }
        };
        List<RouteArea> withSneaky = new ArrayList<>(areas);
        withSneaky.add(sneaky);
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        HttpApiVerticle v = new HttpApiVerticle(config, HttpApiVerticle.defaultReadiness(config, catalog, store),
            withSneaky, table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);

        assertThat(undeclared(v.routeTable(), walk(vertx, withSneaky)))
            .extracting(Walked::pattern).containsExactly("/sneaky/forgotten/:id");
        // and the handler refuses it for everyone, signed in or not
        assertThat(call(v, "GET", "/sneaky/forgotten/1", null).statusCode()).isEqualTo(404);
        assertThat(call(v, "GET", "/sneaky/forgotten/1", null, bearer(login("admin", ADMIN_PW))).statusCode())
            .isEqualTo(404);
        assertThat(call(v, "GET", "/sneaky/declared", null).statusCode()).isEqualTo(401);
        assertThat(call(v, "GET", "/sneaky/declared", null, bearer(login("student", STUDENT_PW))).body())
            .isEqualTo("ok");
    }

    @Test
    void anAreaThatSignsInItselfIsPassedOnWithoutASessionAndOnlyOnItsDeclaredRoutes(Vertx vertx) throws Exception {
        // the shape of /rest: credentials in the request's own parameters, checked by the area (Access.AREA)
        RouteArea self = new RouteArea() {
            public String name() {
                return "self";
            }

            public String mountPoint() {
                return "/self";
            }

            public List<RouteRule> routes() {
                return List.of(RouteRule.of(Access.AREA, "/self/{method}", HttpMethod.GET));
            }

            public Future<Router> router(Vertx v) {
                Router r = Router.router(v);
                r.get("/self/:method").handler(rc -> rc.end("key".equals(rc.request().getParam("k")) ? "in" : "refused"));
                r.get("/self/:method/deeper").handler(rc -> rc.end("secret"));
                return Future.succeededFuture(r);
            }
        };
        List<RouteArea> withSelf = new ArrayList<>(areas);
        withSelf.add(self);
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        HttpApiVerticle v = new HttpApiVerticle(config, HttpApiVerticle.defaultReadiness(config, catalog, store),
            withSelf, table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
        assertThat(undeclared(v.routeTable(), walk(vertx, withSelf))).extracting(Walked::pattern)
            .containsExactly("/self/:method/deeper");
        // no session needed: the area decides
        assertThat(call(v, "GET", "/self/ping", null).body()).isEqualTo("refused");
        assertThat(call(v, "GET", "/self/ping?k=key", null).body()).isEqualTo("in");
        assertThat(call(v, "GET", "/self/ping", null, "Authorization", "Bearer forged").body()).isEqualTo("refused");
        // a route of the area's router the table does not declare stays closed
        assertThat(call(v, "GET", "/self/ping/deeper", null).statusCode()).isEqualTo(404);
    }

    // --- sign-in ----------------------------------------------------------------------------------------------------

    @Test
    void loginAnswersTheTokenTheUserAndAnHttpOnlyLaxCookie() throws Exception {
        HttpResponse<String> r = call("POST", "/api/auth/login",
            "{\"username\":\"student\",\"password\":\"" + STUDENT_PW + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("token", "expiresAt", "user");
        assertThat(body.getJsonObject("user")).isEqualTo(new JsonObject().put("username", "student").put("role", "listener"));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(SessionCookie.NAME + "=" + body.getString("token") + ";")
            .contains("Path=/").containsIgnoringCase("; HttpOnly").contains("SameSite=Lax").contains("Max-Age=")
            .doesNotContain("Secure");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        // the token works as a Bearer and as the cookie
        assertThat(call("GET", "/api/me", null, bearer(body.getString("token"))).body()).contains("\"student\"");
        assertThat(call("GET", "/api/me", null, "Cookie", SessionCookie.NAME + "=" + body.getString("token"))
            .statusCode()).isEqualTo(200);
    }

    @Test
    void theCookieIsSecureOnlyWhenATrustedProxySaysTls() throws Exception {
        String creds = "{\"username\":\"student\",\"password\":\"" + STUDENT_PW + "\"}";
        // 127.0.0.1 is not in 10.0.0.0/8: its X-Forwarded-Proto is a claim, not believed
        assertThat(call(api, "POST", "/api/auth/login", creds, "X-Forwarded-Proto", "https").headers()
            .firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        assertThat(call(behindProxy, "POST", "/api/auth/login", creds, "X-Forwarded-Proto", "https").headers()
            .firstValue("Set-Cookie").orElseThrow()).contains("Secure");
        assertThat(call(behindProxy, "POST", "/api/auth/login", creds).headers()
            .firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        // the client address the throttle counts: the proxy's X-Forwarded-For only when the peer is trusted
        accounts.clients.clear();
        call(behindProxy, "POST", "/api/auth/login", creds, "X-Forwarded-For", "203.0.113.9, 127.0.0.1");
        call(api, "POST", "/api/auth/login", creds, "X-Forwarded-For", "203.0.113.9");
        assertThat(accounts.clients).containsExactly("203.0.113.9", "127.0.0.1");
    }

    @Test
    void wrongCredentialsAreOneAnswerAndTooManyAre429WithRetryAfter() throws Exception {
        HttpResponse<String> wrong = call("POST", "/api/auth/login", "{\"username\":\"victim\",\"password\":\"nope-nope-nope\"}");
        HttpResponse<String> unknown = call("POST", "/api/auth/login", "{\"username\":\"nobody\",\"password\":\"nope-nope-nope\"}");
        for (HttpResponse<String> r : List.of(wrong, unknown)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("invalid_credentials");
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        }
        assertThat(wrong.body()).isEqualTo(unknown.body());
        HttpResponse<String> last = null;
        for (int i = 0; i < FakeAccounts.LOCKOUT + 1; i++) {
            last = call("POST", "/api/auth/login", "{\"username\":\"victim\",\"password\":\"nope-nope-nope\"}");
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).contains("60");
        // malformed bodies are 400, never a sign-in attempt
        assertThat(call("POST", "/api/auth/login", "{\"username\":\"victim\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/auth/login", "not json").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/auth/login", "[1]").statusCode()).isEqualTo(400);
    }

    @Test
    void requestBodiesAreBounded() throws Exception {
        String huge = "{\"username\":\"student\",\"password\":\"" + "x".repeat(20_000) + "\"}";
        assertThat(call("POST", "/api/auth/login", huge).statusCode()).isEqualTo(413);
        assertThat(call("PUT", "/api/me/password", huge, bearer(login("student", STUDENT_PW))).statusCode())
            .isEqualTo(413);
    }

    // --- CSRF -------------------------------------------------------------------------------------------------------

    @Test
    void aCookieSignedStateChangeNeedsASameOriginRequestABearerOneDoesNot() throws Exception {
        String token = login("student", STUDENT_PW);
        String cookie = SessionCookie.NAME + "=" + token;
        String self = "http://127.0.0.1:" + api.actualPort();
        String share = new JsonObject().put("songId", one.id()).encode();
        // reading by cookie: no origin needed
        assertThat(call("GET", "/api/shares", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        // state changes by cookie: a foreign or missing origin is refused
        HttpResponse<String> foreign = call("POST", "/api/shares", share, "Cookie", cookie, "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(foreign.body()).getString("error")).isEqualTo("forbidden");
        assertThat(call("POST", "/api/shares", share, "Cookie", cookie, "Origin", "null").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/shares", share, "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/shares", share, "Cookie", cookie, "Sec-Fetch-Site", "cross-site").statusCode())
            .isEqualTo(403);
        assertThat(call("POST", "/api/auth/logout", null, "Cookie", cookie, "Origin", "http://127.0.0.1:1").statusCode())
            .isEqualTo(403);
        // same origin, by Origin or by Sec-Fetch-Site
        assertThat(call("POST", "/api/shares", share, "Cookie", cookie, "Origin", self).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/shares", share, "Cookie", cookie, "Sec-Fetch-Site", "same-origin").statusCode())
            .isEqualTo(201);
        // Bearer: no origin needed, a foreign one changes nothing
        assertThat(call("POST", "/api/shares", share, "Authorization", "Bearer " + token, "Origin", "https://evil.example")
            .statusCode()).isEqualTo(201);
        // logout by cookie from the same origin ends the session and clears the cookie
        HttpResponse<String> out = call("POST", "/api/auth/logout", null, "Cookie", cookie, "Origin", self);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(SessionCookie.NAME + "=;")
            .contains("Max-Age=0");
        assertThat(call("GET", "/api/me", null, bearer(token)).statusCode()).isEqualTo(401);
    }

    // --- users ------------------------------------------------------------------------------------------------------

    @Test
    void adminsManageUsersListenersGet403() throws Exception {
        String student = login("student", STUDENT_PW);
        String admin = login("admin", ADMIN_PW);
        String newUser = "{\"username\":\"pupil\",\"password\":\"pupil-password-1\",\"role\":\"listener\"}";
        assertThat(call("GET", "/api/users", null, bearer(student)).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/users", newUser, bearer(student)).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/admin/rescan", "{}", bearer(student)).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/api/users/admin", null, bearer(student)).statusCode()).isEqualTo(403);

        HttpResponse<String> created = call("POST", "/api/users", newUser, bearer(admin));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(created.body()).getString("role")).isEqualTo("listener");
        assertThat(call("POST", "/api/users", newUser, bearer(admin)).statusCode()).isEqualTo(409);
        assertThat(call("POST", "/api/users", "{\"username\":\"x\",\"password\":\"long-enough-1\",\"role\":\"root\"}",
            bearer(admin)).statusCode()).isEqualTo(400);
        JsonArray users = new JsonObject(call("GET", "/api/users", null, bearer(admin)).body()).getJsonArray("users");
        assertThat(users.stream().map(u -> ((JsonObject) u).getString("username"))).contains("admin", "pupil");
        assertThat(users.encode()).doesNotContain("password");

        String pupil = login("pupil", "pupil-password-1");
        HttpResponse<String> disabled = call("PATCH", "/api/users/pupil", "{\"disabled\":true}", bearer(admin));
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(disabled.body()).getBoolean("disabled")).isTrue();
        assertThat(call("GET", "/api/me", null, bearer(pupil)).statusCode()).isEqualTo(401);
        assertThat(call("PATCH", "/api/users/pupil", "{\"disabled\":\"yes\"}", bearer(admin)).statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/api/users/pupil", null, bearer(admin)).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/users/pupil", null, bearer(admin)).statusCode()).isEqualTo(404);
    }

    @Test
    void changingOnesPasswordNeedsTheCurrentOne() throws Exception {
        String admin = login("admin", ADMIN_PW);
        call("POST", "/api/users", "{\"username\":\"changer\",\"password\":\"changer-password-1\"}", bearer(admin));
        String t = login("changer", "changer-password-1");
        assertThat(call("PUT", "/api/me/password", "{\"current\":\"wrong-wrong-1\",\"new\":\"changer-password-2\"}",
            bearer(t)).statusCode()).isEqualTo(401);
        assertThat(call("PUT", "/api/me/password", "{\"current\":\"changer-password-1\"}", bearer(t)).statusCode())
            .isEqualTo(400);
        assertThat(call("PUT", "/api/me/password", "{\"current\":\"changer-password-1\",\"new\":\"changer-password-2\"}",
            bearer(t)).statusCode()).isEqualTo(204);
        login("changer", "changer-password-2");
    }

    @Test
    void setupCreatesTheFirstAdminOnceWithTheCode(Vertx vertx) throws Exception {
        FakeAccounts empty = new FakeAccounts();
        HttpApiVerticle fresh = deploy(vertx, empty, TrustedProxies.NONE);
        assertThat(new JsonObject(call(fresh, "GET", "/api/setup", null).body()).getBoolean("open")).isTrue();
        String body = "{\"code\":\"%s\",\"username\":\"teacher\",\"password\":\"teacher-password-1\"}";
        assertThat(call(fresh, "POST", "/api/setup", body.formatted("wrong"), "Origin", "https://evil.example")
            .statusCode()).isEqualTo(401);
        HttpResponse<String> ok = call(fresh, "POST", "/api/setup", body.formatted(FakeAccounts.SETUP_CODE));
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(ok.body()).getJsonObject("user").getString("role")).isEqualTo("admin");
        assertThat(ok.headers().firstValue("Set-Cookie")).isPresent();
        assertThat(call(fresh, "POST", "/api/setup", body.formatted(FakeAccounts.SETUP_CODE)).statusCode()).isEqualTo(409);
        assertThat(new JsonObject(call(fresh, "GET", "/api/setup", null).body()).getBoolean("open")).isFalse();
    }

    // --- shares -----------------------------------------------------------------------------------------------------

    @Test
    void aShareLinkListsAndStreamsOnlyItsSongsUntilRevoked() throws Exception {
        String student = login("student", STUDENT_PW);
        HttpResponse<String> made = call("POST", "/api/shares",
            new JsonObject().put("albumId", one.albumId()).put("expiresIn", "P2D").encode(), bearer(student));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonObject link = new JsonObject(made.body());
        assertThat(link.fieldNames()).containsExactlyInAnyOrder("id", "url", "expiresAt");
        String url = link.getString("url");
        assertThat(url).startsWith("http://127.0.0.1:" + api.actualPort() + "/s/");
        String path = URI.create(url).getPath();

        HttpResponse<String> listing = call("GET", path, null);
        assertThat(listing.statusCode()).isEqualTo(200);
        JsonArray songs = new JsonObject(listing.body()).getJsonArray("songs");
        assertThat(songs.stream().map(s -> ((JsonObject) s).getString("id"))).containsExactlyInAnyOrder(one.id(), two.id());
        String stream = songs.stream().map(s -> (JsonObject) s).filter(s -> s.getString("id").equals(two.id()))
            .findFirst().orElseThrow().getString("stream");
        assertThat(stream).isEqualTo(path + "/songs/" + two.id() + "/stream");

        HttpRequest ranged = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort() + stream))
            .header("Range", "bytes=100-199").build();
        HttpResponse<byte[]> part = http.send(ranged, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(TWO, 100, 200));
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + api.actualPort() + stream)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.body()).isEqualTo(TWO);
        assertThat(call("HEAD", stream, null).headers().firstValue("Content-Length")).contains(String.valueOf(TWO.length));
        // a song of another album, through this link: 404
        assertThat(call("GET", path + "/songs/" + other.id() + "/stream", null).statusCode()).isEqualTo(404);

        // the owner lists it; another listener does not see it; the admin does
        assertThat(call("GET", "/api/shares", null, bearer(student)).body()).contains(link.getString("id"));
        assertThat(call("GET", "/api/shares", null, bearer(login("admin", ADMIN_PW))).body()).contains(link.getString("id"));
        assertThat(call("GET", "/api/shares", null, bearer(login("other", "other-password-1"))).body())
            .doesNotContain(link.getString("id"));

        assertThat(call("DELETE", "/api/shares/" + link.getString("id"), null, bearer(student)).statusCode()).isEqualTo(204);
        assertThat(call("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", stream, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSongShareStreamsThatSongAndExpiredOrUnknownLinksAre404() throws Exception {
        String student = login("student", STUDENT_PW);
        JsonObject link = new JsonObject(call("POST", "/api/shares",
            new JsonObject().put("songId", one.id()).put("expiresIn", 3600).encode(), bearer(student)).body());
        String path = URI.create(link.getString("url")).getPath();
        assertThat(new JsonObject(call("GET", path, null).body()).getJsonArray("songs")).hasSize(1);
        assertThat(call("GET", path + "/songs/" + one.id() + "/stream", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", path + "/songs/" + two.id() + "/stream", null).statusCode()).isEqualTo(404);

        String expired = shares.expired(one.id());
        assertThat(call("GET", "/s/" + expired, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/s/" + expired + "/songs/" + one.id() + "/stream", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/s/unknown-token", null).statusCode()).isEqualTo(404);
        // POST on a link is not a route: 404, not open
        assertThat(call("POST", path, "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void shareRequestsAreValidated() throws Exception {
        String student = login("student", STUDENT_PW);
        for (String bad : List.of(
            "{}",
            "{\"songId\":\"a\",\"albumId\":\"b\"}",
            "{\"songId\":\"a\",\"expiresIn\":5}",
            "{\"songId\":\"a\",\"expiresIn\":\"P365D\"}",
            "{\"songId\":\"a\",\"expiresIn\":\"tomorrow\"}",
            "{\"songId\":\"a\",\"expiresIn\":1.5}",
            "{\"songId\":7}")) {
            assertThat(call("POST", "/api/shares", bad, bearer(student)).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(AuthArea.expiresIn(null)).isEqualTo(AuthArea.SHARE_DEFAULT);
        assertThat(AuthArea.expiresIn("PT12H")).isEqualTo(Duration.ofHours(12));
        assertThat(AuthArea.expiresIn(86400)).isEqualTo(Duration.ofDays(1));
        assertThrows(IllegalArgumentException.class, () -> AuthArea.expiresIn(59));
    }

    @Test
    void thePublishedContractDocumentsTheAuthRoutes() throws Exception {
        HttpResponse<String> r = call("GET", "/api/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject paths = new JsonObject(r.body()).getJsonObject("paths");
        assertThat(paths.fieldNames()).contains("/api/auth/login", "/api/auth/logout", "/api/me", "/api/me/password",
            "/api/users", "/api/users/{username}", "/api/setup", "/api/shares", "/api/shares/{id}", "/s/{token}",
            "/s/{token}/songs/{songId}/stream");
    }

    @Test
    void unknownPathsAre404ForEveryone() throws Exception {
        assertThat(call("GET", "/api/nothing", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/nothing", null, bearer(login("admin", ADMIN_PW))).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/me", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/", null).statusCode()).isEqualTo(404);
    }
}
