package dev.s3music.cluster;

import dev.s3music.model.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the test reads through an API instance (plain JDK HTTP client on the test thread, every call with a timeout). */
final class Api {

    record Response(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The admin password LocalCluster gives every server (ADMIN_PASSWORD); the admin is {@code admin}. */
    static final String ADMIN_PASSWORD = "cluster-test-admin-pw-1";

    private final URI base;
    private volatile String bearer;

    Api(URI base) {
        this.base = base;
    }

    /** {@code Bearer <token>} of the admin on this instance, signing in the first time. */
    String bearer() {
        String b = bearer;
        if (b == null) {
            HttpRequest login = HttpRequest.newBuilder(base.resolve("/api/auth/login")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "admin")
                    .put("password", ADMIN_PASSWORD).encode()))
                .build();
            Response r = send(login, "/api/auth/login");
            if (r.status() != 200) {
                throw new AssertionError("sign-in at " + base + " answered " + r.status() + ": " + r.body());
            }
            b = "Bearer " + r.json().getString("token");
            bearer = b;
        }
        return b;
    }

    URI base() {
        return base;
    }

    Response get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
        if (path.startsWith("/api/")) {
            b.header("Authorization", bearer());
        }
        return send(b.build(), path);
    }

    private Response send(HttpRequest request, String path) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    int readyStatus() {
        return get("/health/ready").status();
    }

    boolean songVisible(String key) {
        return get("/api/songs/" + Ids.song(key)).status() == 200;
    }

    /** Every song key the catalog holds, walking artists, their albums and the albums' songs. */
    Set<String> catalogKeys() {
        Set<String> keys = new TreeSet<>();
        for (String artistId : artistIds()) {
            JsonObject artist = ok("/api/artists/" + artistId);
            for (Object a : artist.getJsonArray("albums")) {
                JsonObject album = ok("/api/albums/" + ((JsonObject) a).getString("id"));
                for (Object s : album.getJsonArray("songs")) {
                    String id = ((JsonObject) s).getString("id");
                    keys.add(Ids.songKey(id).orElseThrow(() -> new AssertionError("song id names no key: " + id)));
                }
            }
        }
        return keys;
    }

    /** metadataStatus of every artist and album, by name ("artist X", "album X/Y"). */
    Map<String, String> metadataStatuses() {
        Map<String, String> statuses = new HashMap<>();
        for (String artistId : artistIds()) {
            JsonObject artist = ok("/api/artists/" + artistId);
            statuses.put("artist " + artist.getString("name"), artist.getString("metadataStatus"));
            for (Object a : artist.getJsonArray("albums")) {
                JsonObject album = ok("/api/albums/" + ((JsonObject) a).getString("id"));
                statuses.put("album " + artist.getString("name") + "/" + album.getString("name"),
                    album.getString("metadataStatus"));
            }
        }
        return statuses;
    }

    private Set<String> artistIds() {
        Set<String> ids = new TreeSet<>();
        int offset = 0;
        for (int page = 0; page < 100; page++) {
            JsonObject body = ok("/api/artists?limit=500&offset=" + offset);
            JsonArray items = body.getJsonArray("items");
            items.forEach(i -> ids.add(((JsonObject) i).getString("id")));
            offset += items.size();
            if (items.isEmpty() || offset >= body.getInteger("total")) {
                return ids;
            }
        }
        throw new AssertionError("more than 100 pages of artists on " + base);
    }

    private JsonObject ok(String path) {
        Response r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + base + path + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }
}
