package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.RedisServerProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in across the cluster: two {@code ROLE=api} servers as {@code Main} builds them, clustered over Hazelcast on
 * 127.0.0.1, on one real redis-server (sessions, throttle) and one S3Proxy bucket (accounts, shares): a token made on
 * one works on the other, a revocation on one is refused on the other within a second, failures made on both count
 * toward one throttle, concurrent edits of one account through both lose nothing, a listener gets 403 on admin
 * routes, cookie requests with a foreign {@code Origin} are refused.
 */
class AuthClusterTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisServerProcess redis;
    private static EmbeddedS3 s3;
    private static final List<MusicServer> servers = new ArrayList<>();
    private static final Map<String, String> savedProperties = new HashMap<>();
    private static MusicServer a;
    private static MusicServer b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        s3 = EmbeddedS3.inMemory();
        s3.createBucket("music");
        setProperty("aws.accessKeyId", s3.accessKey());
        setProperty("aws.secretAccessKey", s3.secretKey());
        // both start at once: two bootstraps racing over the same bucket end with one admin
        CompletableFuture<MusicServer> first = CompletableFuture.supplyAsync(AuthClusterTest::startApi);
        CompletableFuture<MusicServer> second = CompletableFuture.supplyAsync(AuthClusterTest::startApi);
        a = first.get(120, TimeUnit.SECONDS);
        b = second.get(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (a.clusterManager().getNodes().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(a.clusterManager().getNodes()).hasSize(2);
    }

    private static MusicServer startApi() {
        Map<String, String> env = new HashMap<>(Map.of(
            "ROLE", "api", "HTTP_PORT", "0", "HTTP_INSTANCES", "1",
            "S3_BUCKET", "music", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", s3.endpoint().toString(),
            "USE_REDIS", "true", "REDIS_URL", redis.uri()));
        env.putAll(Map.of("CLUSTERED", "true", "CLUSTER_MEMBERS", "127.0.0.1", "CLUSTER_HOST", "127.0.0.1",
            "CLUSTER_JOIN_WAIT", "1s", "SHUTDOWN_GRACE", "1s",
            // the test plays the load balancer: its X-Forwarded-For names the client the throttle counts
            "TRUSTED_PROXIES", "127.0.0.1/32"));
        try {
            MusicServer s = MusicServer.start(TestSignIn.config(env));
            synchronized (servers) {
                servers.add(s);
            }
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setProperty(String name, String value) {
        savedProperties.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (MusicServer s : servers) {
            s.close();
        }
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (s3 != null) {
            s3.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    // --- HTTP --------------------------------------------------------------------------------------------------------

    private static URI base(MusicServer s) {
        return URI.create("http://127.0.0.1:" + s.httpPort());
    }

    private static HttpResponse<String> call(MusicServer s, String method, String path, String body, String... headers)
        throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base(s).resolve(path)).timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(MusicServer s, String user, String password, String client) throws Exception {
        return call(s, "POST", "/api/auth/login", new JsonObject().put("username", user).put("password", password).encode(),
            "X-Forwarded-For", client);
    }

    private static String token(MusicServer s, String user, String password) throws Exception {
        HttpResponse<String> r = login(s, user, password, "198.51.100.1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    private static String adminToken(MusicServer s) throws Exception {
        return token(s, TestSignIn.ADMIN_USER, TestSignIn.ADMIN_PASSWORD);
    }

    private static void createUser(String name, String password, String role) throws Exception {
        HttpResponse<String> r = call(a, "POST", "/api/users", new JsonObject().put("username", name)
            .put("password", password).put("role", role).encode(), "Authorization", "Bearer " + adminToken(a));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Milliseconds until {@code path} on {@code s} answers 401 with {@code token}, polled; fails after 10 s. */
    private static long millisUntilRefused(MusicServer s, String token) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (call(s, "GET", "/api/me", null, "Authorization", "Bearer " + token).statusCode() == 401) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the token still works after 10 s");
    }

    // --- the tests ---------------------------------------------------------------------------------------------------

    @Test
    void racingBootstrapsLeaveOneAdmin() throws Exception {
        HttpResponse<String> users = call(b, "GET", "/api/users", null, "Authorization", "Bearer " + adminToken(a));
        assertThat(users.statusCode()).isEqualTo(200);
        // (other tests promote listeners: count the bootstrapped name)
        assertThat(new JsonObject(users.body()).getJsonArray("users").stream().map(u -> (JsonObject) u)
            .filter(u -> u.getString("username").equalsIgnoreCase(TestSignIn.ADMIN_USER)).toList())
            .singleElement().satisfies(u -> assertThat(u.getString("role")).isEqualTo("admin"));
    }

    @Test
    void aTokenMadeOnOneInstanceWorksOnTheOtherAndItsLogoutIsRefusedThereWithinASecond() throws Exception {
        createUser("pianist", "pianist-password-1", "listener");
        String token = token(a, "pianist", "pianist-password-1");
        HttpResponse<String> me = call(b, "GET", "/api/me", null, "Authorization", "Bearer " + token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(me.body()).getString("username")).isEqualTo("pianist");
        // B has just checked it (its in-process cache holds it); the logout on A must reach B
        assertThat(call(b, "GET", "/api/artists", null, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(call(a, "POST", "/api/auth/logout", null, "Authorization", "Bearer " + token).statusCode())
            .isEqualTo(204);
        assertThat(millisUntilRefused(b, token)).as("ms until B refuses a token logged out on A").isLessThan(1000);
        assertThat(call(a, "GET", "/api/me", null, "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    }

    @Test
    void disablingOrDeletingOnOneInstanceEndsTheSessionsOnTheOther() throws Exception {
        createUser("cellist", "cellist-password-1", "listener");
        createUser("violist", "violist-password-1", "listener");
        String cellist = token(b, "cellist", "cellist-password-1");
        String violist = token(b, "violist", "violist-password-1");
        assertThat(call(b, "GET", "/api/me", null, "Authorization", "Bearer " + cellist).statusCode()).isEqualTo(200);
        assertThat(call(b, "GET", "/api/me", null, "Authorization", "Bearer " + violist).statusCode()).isEqualTo(200);
        String admin = "Bearer " + adminToken(a);
        assertThat(call(a, "PATCH", "/api/users/cellist", "{\"disabled\":true}", "Authorization", admin).statusCode())
            .isEqualTo(200);
        assertThat(millisUntilRefused(b, cellist)).isLessThan(1000);
        assertThat(login(b, "cellist", "cellist-password-1", "198.51.100.2").statusCode()).isEqualTo(401);
        assertThat(call(a, "DELETE", "/api/users/violist", null, "Authorization", admin).statusCode()).isEqualTo(204);
        assertThat(millisUntilRefused(b, violist)).isLessThan(1000);
    }

    @Test
    void failedSignInsOnBothInstancesCountTowardOneThrottle() throws Exception {
        createUser("drummer", "drummer-password-1", "listener");
        // five failures for one username, from five addresses, alternating between the instances
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = login(i % 2 == 0 ? a : b, "drummer", "wrong-password-" + i, "203.0.113." + (10 + i));
            assertThat(r.statusCode()).as("failure " + i + ": " + r.body()).isEqualTo(401);
            assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("invalid_credentials");
        }
        // blocked on both, even with the right password and from a fresh address
        for (MusicServer s : List.of(a, b)) {
            HttpResponse<String> r = login(s, "drummer", "drummer-password-1", "203.0.113.99");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
            assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        }
        // and per client address: five failures from one address on both instances, for five names
        for (int i = 0; i < 5; i++) {
            login(i % 2 == 0 ? b : a, "nobody-" + i, "wrong-password-x", "192.0.2.77");
        }
        assertThat(login(a, TestSignIn.ADMIN_USER, TestSignIn.ADMIN_PASSWORD, "192.0.2.77").statusCode()).isEqualTo(429);
        // another address still signs in
        assertThat(login(b, TestSignIn.ADMIN_USER, TestSignIn.ADMIN_PASSWORD, "192.0.2.78").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentEditsOfOneAccountThroughBothInstancesLoseNothing() throws Exception {
        createUser("flautist", "flautist-password-1", "listener");
        String admin = "Bearer " + adminToken(a);
        CompletableFuture<HttpResponse<String>> role = CompletableFuture.supplyAsync(() -> patch(a, "{\"role\":\"admin\"}", admin));
        CompletableFuture<HttpResponse<String>> disabled = CompletableFuture.supplyAsync(() -> patch(b, "{\"disabled\":true}", admin));
        assertThat(role.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(disabled.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        JsonObject flautist = new JsonObject(call(b, "GET", "/api/users", null, "Authorization", admin).body())
            .getJsonArray("users").stream().map(u -> (JsonObject) u)
            .filter(u -> u.getString("username").equals("flautist")).findFirst().orElseThrow();
        assertThat(flautist.getString("role")).isEqualTo("admin");
        assertThat(flautist.getBoolean("disabled")).isTrue();
    }

    private static HttpResponse<String> patch(MusicServer s, String body, String admin) {
        try {
            return call(s, "PATCH", "/api/users/flautist", body, "Authorization", admin);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aListenerGets403OnAdminRoutesOnEitherInstance() throws Exception {
        createUser("singer", "singer-password-1", "listener");
        String listener = "Bearer " + token(b, "singer", "singer-password-1");
        for (MusicServer s : List.of(a, b)) {
            assertThat(call(s, "GET", "/api/users", null, "Authorization", listener).statusCode()).isEqualTo(403);
            assertThat(call(s, "POST", "/api/users", "{\"username\":\"x\",\"password\":\"xxxxxxxxxxxx\"}",
                "Authorization", listener).statusCode()).isEqualTo(403);
            assertThat(call(s, "POST", "/api/admin/rescan", "{}", "Authorization", listener).statusCode()).isEqualTo(403);
            assertThat(call(s, "DELETE", "/api/users/admin", null, "Authorization", listener).statusCode()).isEqualTo(403);
            assertThat(call(s, "GET", "/api/artists", null, "Authorization", listener).statusCode()).isEqualTo(200);
            assertThat(call(s, "GET", "/api/artists", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void cookieRequestsWithAForeignOriginAreRefused() throws Exception {
        createUser("harpist", "harpist-password-1", "listener");
        HttpResponse<String> signed = login(a, "harpist", "harpist-password-1", "198.51.100.3");
        String setCookie = signed.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/")
            .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        // the load balancer says the client used TLS: the cookie is Secure
        HttpResponse<String> overTls = call(a, "POST", "/api/auth/login",
            new JsonObject().put("username", "harpist").put("password", "harpist-password-1").encode(),
            "X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.3");
        assertThat(overTls.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");

        assertThat(call(b, "GET", "/api/me", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(call(b, "POST", "/api/auth/logout", null, "Cookie", cookie, "Origin", "https://evil.example")
            .statusCode()).isEqualTo(403);
        assertThat(call(b, "POST", "/api/auth/logout", null, "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(call(b, "GET", "/api/me", null, "Cookie", cookie).statusCode()).as("still signed in").isEqualTo(200);
        assertThat(call(b, "POST", "/api/auth/logout", null, "Cookie", cookie, "Origin", base(b).toString())
            .statusCode()).isEqualTo(204);
        assertThat(call(a, "GET", "/api/me", null, "Cookie", cookie).statusCode()).isEqualTo(401);
    }
}
