package dev.s3music.launcher;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Every {@code /api} call needs a session: the tests start the server with ADMIN_PASSWORD and sign in as admin. */
final class TestSignIn {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "launcher-test-admin-pw-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestSignIn() {
    }

    /** {@code env} with ADMIN_PASSWORD (unless it sets its own). */
    static Map<String, String> withAdmin(Map<String, String> env) {
        Map<String, String> m = new HashMap<>(env);
        m.putIfAbsent("ADMIN_PASSWORD", ADMIN_PASSWORD);
        return m;
    }

    /** The launcher's configuration of {@code env} with ADMIN_PASSWORD. */
    static LauncherConfig config(Map<String, String> env) {
        return LauncherConfig.fromEnv(withAdmin(env));
    }

    /** Signs in as the admin at {@code base} ({@code http://host:port}); answers {@code Bearer <token>}. */
    static String bearer(URI base) throws Exception {
        return bearer(base, ADMIN_USER, ADMIN_PASSWORD);
    }

    static String bearer(URI base, String user, String password) throws Exception {
        HttpResponse<String> r = login(base, user, password);
        if (r.statusCode() != 200) {
            throw new AssertionError("sign-in as " + user + " at " + base + ": " + r.statusCode() + " " + r.body());
        }
        return "Bearer " + new JsonObject(r.body()).getString("token");
    }

    static HttpResponse<String> login(URI base, String user, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/api/auth/login"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                new JsonObject().put("username", user).put("password", password).encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
