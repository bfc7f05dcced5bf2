package dev.s3music.fakediscogs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A Discogs stand-in on 127.0.0.1 that serves the captured response shapes of {@code resources/discogs}
 * (public example data) for the endpoints the metadata worker uses:
 * {@code /database/search}, {@code /artists/{id}}, {@code /artists/{id}/releases}, {@code /masters/{id}},
 * {@code /releases/{id}}.
 *
 * <p>It sends Discogs' {@code X-Discogs-Ratelimit*} headers (counted over its own sliding minute), answers 404
 * with Discogs' body for unknown ids, plays scripted 429/500 storms, adds optional latency, and records every
 * call with its time so tests can check the rate limit on every sliding window.
 *
 * <p>Search is deliberately loose (every query word must appear in the title or the entity's search terms, as
 * Discogs' fuzzy search does), so the caller's matching has to tell the right hit from the near ones.
 * Tests may register extra artists, masters and releases.
 */
public final class FakeDiscogs {

    /** Discogs' authenticated limit, sent in {@code X-Discogs-Ratelimit}. */
    public static final int DEFAULT_RATE_LIMIT = 60;

    /** One recorded call. {@code nanos} is {@link System#nanoTime()} when the request arrived. */
    public record Call(long nanos, long epochMillis, String method, String path, String query, int status,
                       String authorization, String userAgent) {
    }

    private static final String RES = "/discogs/";
    private static final String ARRIVAL = "fake.arrival";
    private static final String ARRIVAL_MILLIS = "fake.arrivalMillis";

    private final Vertx vertx;
    private final Map<Long, JsonObject> artists = new ConcurrentHashMap<>();
    private final Map<Long, JsonObject> masters = new ConcurrentHashMap<>();
    private final Map<Long, JsonObject> releases = new ConcurrentHashMap<>();
    private final Map<Long, JsonArray> artistReleases = new ConcurrentHashMap<>();
    /** Search index in insertion order: fixture order first, then what tests add. */
    private final List<SearchEntry> index = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scripted = new ArrayDeque<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile int rateLimit = DEFAULT_RATE_LIMIT;
    private volatile Integer forcedRemaining;
    private HttpServer server;

    private record SearchEntry(String type, long id, String title, String artist, String releaseTitle,
                               Set<String> terms, JsonObject result) {
    }

    private FakeDiscogs(Vertx vertx) {
        this.vertx = vertx;
        loadFixtures();
    }

    /** Starts on a free port of 127.0.0.1. */
    public static Future<FakeDiscogs> start(Vertx vertx) {
        return start(vertx, 0);
    }

    /** Starts on the given port of 127.0.0.1 (0 picks a free one). */
    public static Future<FakeDiscogs> start(Vertx vertx, int port) {
        FakeDiscogs fake = new FakeDiscogs(vertx);
        return vertx.createHttpServer()
            .requestHandler(fake.router())
            .listen(port, "127.0.0.1")
            .map(s -> {
                fake.server = s;
                return fake;
            });
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:port}, what {@code DISCOGS_URL} points at. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    // ---- test controls -------------------------------------------------------------------------------------

    /** Every call so far, in arrival order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    /** The next {@code count} requests get {@code status} (429 or 5xx) with Discogs' error body. */
    public synchronized void failNext(int status, int count) {
        for (int i = 0; i < count; i++) {
            scripted.addLast(status);
        }
    }

    /** Delay before each answer. */
    public void latency(Duration d) {
        this.latency = d;
    }

    /** The limit announced in {@code X-Discogs-Ratelimit} and used to compute the remaining count. */
    public void rateLimit(int limit) {
        this.rateLimit = limit;
    }

    /** Forces {@code X-Discogs-Ratelimit-Remaining} to this value (null: computed from the last minute). */
    public void forceRemaining(Integer remaining) {
        this.forcedRemaining = remaining;
    }

    /** Adds an artist ({@code id}, {@code name} required), found by search and by {@code /artists/{id}}. */
    public void addArtist(JsonObject artist) {
        long id = artist.getLong("id");
        artists.put(id, artist);
        indexArtist(id, artist.getString("name"), Set.of(), artist);
    }

    /** Adds a master ({@code id}, {@code title}, {@code artists} required). */
    public void addMaster(JsonObject master) {
        long id = master.getLong("id");
        masters.put(id, master);
        indexAlbum("master", id, master);
    }

    /** Adds a release ({@code id}, {@code title}, {@code artists} required). */
    public void addRelease(JsonObject release) {
        long id = release.getLong("id");
        releases.put(id, release);
        indexAlbum("release", id, release);
    }

    // ---- fixtures ------------------------------------------------------------------------------------------

    static JsonObject fixture(String name) {
        try (InputStream in = FakeDiscogs.class.getResourceAsStream(RES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadFixtures() {
        // search-only artists of the captured "Coldplay" search: they come back for that query as on Discogs
        // (members and tribute acts), and get a minimal artist document so they can be fetched
        for (Object o : fixture("search_artist.json").getJsonArray("results")) {
            JsonObject r = (JsonObject) o;
            long id = r.getLong("id");
            artists.putIfAbsent(id, new JsonObject().put("id", id).put("name", r.getString("title"))
                .put("profile", "").put("images", new JsonArray()).put("resource_url", r.getString("resource_url"))
                .put("uri", r.getString("uri")).put("data_quality", "Needs Vote"));
            indexEntry(new SearchEntry("artist", id, r.getString("title"), r.getString("title"), null,
                words("Coldplay"), r));
        }
        JsonObject coldplay = fixture("artist.json");
        artists.put(coldplay.getLong("id"), coldplay); // full document replaces the minimal one
        artistReleases.put(coldplay.getLong("id"), fixture("artist_releases.json").getJsonArray("releases"));

        JsonObject master = fixture("master.json");
        masters.put(master.getLong("id"), master);
        JsonObject eminem = fixture("master_unauthenticated_718441.json");
        masters.put(eminem.getLong("id"), eminem);
        indexAlbum("master", eminem.getLong("id"), eminem);
        for (String f : List.of("release.json", "release_docs_example_249504.json",
            "release_index_subtracks_unauthenticated_1287017.json")) {
            JsonObject r = fixture(f);
            releases.put(r.getLong("id"), r);
            indexAlbum("release", r.getLong("id"), r);
        }
        // the captured master/release search: its releases 11849140 and 13416116 have no document here (404)
        for (Object o : fixture("search_release_master.json").getJsonArray("results")) {
            JsonObject r = (JsonObject) o;
            String title = r.getString("title");
            int dash = title.indexOf(" - ");
            indexEntry(new SearchEntry(r.getString("type"), r.getLong("id"), title,
                dash > 0 ? title.substring(0, dash) : "", dash > 0 ? title.substring(dash + 3) : title, Set.of(), r));
        }
    }

    private void indexArtist(long id, String name, Set<String> terms, JsonObject doc) {
        JsonObject result = new JsonObject().put("id", id).put("type", "artist").put("title", name)
            .put("master_id", null).put("master_url", null).put("uri", "/artist/" + id)
            .put("thumb", thumb(doc)).put("cover_image", cover(doc))
            .put("resource_url", "https://api.discogs.com/artists/" + id);
        index.removeIf(e -> e.type.equals("artist") && e.id == id);
        indexEntry(new SearchEntry("artist", id, name, name, null, terms, result));
    }

    private void indexAlbum(String type, long id, JsonObject doc) {
        String artist = artistCredit(doc.getJsonArray("artists", new JsonArray()));
        String title = artist + " - " + doc.getString("title");
        Object year = doc.getValue("year");
        JsonObject result = new JsonObject().put("id", id).put("type", type).put("title", title)
            .put("master_id", type.equals("master") ? Long.valueOf(id) : doc.getLong("master_id"))
            .put("year", year == null || Integer.valueOf(0).equals(year) ? null : String.valueOf(year))
            .put("genre", doc.getJsonArray("genres", new JsonArray())).put("style", doc.getJsonArray("styles", new JsonArray()))
            .put("thumb", thumb(doc)).put("cover_image", cover(doc))
            .put("uri", "/" + type + "/" + id).put("resource_url", "https://api.discogs.com/" + type + "s/" + id);
        index.removeIf(e -> e.type.equals(type) && e.id == id);
        indexEntry(new SearchEntry(type, id, title, artist, doc.getString("title"), Set.of(), result));
    }

    private void indexEntry(SearchEntry e) {
        index.add(e);
    }

    /** Discogs' display credit: names (or anv) joined by their join strings. */
    private static String artistCredit(JsonArray artists) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < artists.size(); i++) {
            JsonObject a = artists.getJsonObject(i);
            sb.append(a.getString("name"));
            String join = a.getString("join", "");
            if (i < artists.size() - 1) {
                sb.append(join.isBlank() ? ", " : join.equals(",") ? ", " : " " + join + " ");
            }
        }
        return sb.toString();
    }

    private static String thumb(JsonObject doc) {
        JsonArray images = doc.getJsonArray("images");
        return images == null || images.isEmpty() ? "" : images.getJsonObject(0).getString("uri150", "");
    }

    private static String cover(JsonObject doc) {
        JsonArray images = doc.getJsonArray("images");
        return images == null || images.isEmpty() ? "" : images.getJsonObject(0).getString("uri", "");
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private Router router() {
        Router r = Router.router(vertx);
        r.route().handler(this::recordAndGate);
        r.get("/database/search").handler(this::search);
        r.get("/artists/:id/releases").handler(ctx -> byId(ctx, id -> {
            JsonArray rel = artistReleases.get(id);
            if (rel == null && artists.containsKey(id)) {
                rel = new JsonArray();
            }
            return rel == null ? null : page(ctx, rel, "releases");
        }));
        r.get("/artists/:id").handler(ctx -> byId(ctx, artists::get));
        r.get("/masters/:id").handler(ctx -> byId(ctx, masters::get));
        r.get("/releases/:id").handler(ctx -> byId(ctx, releases::get));
        r.route().handler(ctx -> send(ctx, 404, new JsonObject().put("message", "The requested resource was not found.")));
        return r;
    }

    /** Records the call, applies latency and scripted failures, and sets the rate-limit headers. */
    private void recordAndGate(RoutingContext ctx) {
        long now = System.nanoTime();
        Integer status;
        synchronized (this) {
            status = scripted.pollFirst();
        }
        int used = 1 + (int) calls.stream().filter(c -> now - c.nanos() < 60_000_000_000L).count();
        int limit = rateLimit;
        Integer forced = forcedRemaining;
        int remaining = forced != null ? forced : Math.max(0, limit - used);
        ctx.response().putHeader("X-Discogs-Ratelimit", String.valueOf(limit))
            .putHeader("X-Discogs-Ratelimit-Used", String.valueOf(Math.min(used, limit)))
            .putHeader("X-Discogs-Ratelimit-Remaining", String.valueOf(remaining));
        int finalStatus = status != null ? status : 0;
        ctx.put(ARRIVAL, now);
        ctx.put(ARRIVAL_MILLIS, System.currentTimeMillis());
        Runnable go = () -> {
            if (finalStatus == 429) {
                send(ctx, 429, fixture("error_429.json"));
            } else if (finalStatus >= 500) {
                send(ctx, finalStatus, new JsonObject().put("message", "Internal Server Error"));
            } else {
                ctx.next();
            }
        };
        long ms = latency.toMillis();
        if (ms > 0) {
            vertx.setTimer(ms, t -> go.run());
        } else {
            go.run();
        }
    }

    private interface Lookup {
        JsonObject find(long id);
    }

    private void byId(RoutingContext ctx, Lookup lookup) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            send(ctx, 404, new JsonObject().put("message", "The requested resource was not found."));
            return;
        }
        JsonObject doc = lookup.find(id);
        if (doc == null) {
            String what = ctx.request().path().startsWith("/releases") ? "Release"
                : ctx.request().path().startsWith("/masters") ? "Master" : "Artist";
            send(ctx, 404, new JsonObject().put("message", what + " not found."));
        } else {
            send(ctx, 200, doc);
        }
    }

    private void search(RoutingContext ctx) {
        String type = ctx.queryParams().get("type");
        String q = first(ctx, "q", "query");
        String artist = ctx.queryParams().get("artist");
        String releaseTitle = ctx.queryParams().get("release_title");
        Set<String> qWords = words(q);
        Set<String> aWords = words(artist);
        Set<String> tWords = words(releaseTitle);
        List<JsonObject> hits = new ArrayList<>();
        for (SearchEntry e : index) {
            if (type != null && !type.isBlank() && !type.equals(e.type)) {
                continue;
            }
            Set<String> all = new HashSet<>(words(e.title));
            all.addAll(e.terms);
            if (!all.containsAll(qWords)) {
                continue;
            }
            if (!aWords.isEmpty() && !(e.type.equals("artist") ? words(e.title) : words(e.artist)).containsAll(aWords)) {
                continue;
            }
            if (!tWords.isEmpty() && (e.releaseTitle == null || !words(e.releaseTitle).containsAll(tWords))) {
                continue;
            }
            hits.add(e.result);
        }
        send(ctx, 200, page(ctx, new JsonArray(new ArrayList<>(hits)), "results"));
    }

    private static String first(RoutingContext ctx, String... names) {
        for (String n : names) {
            String v = ctx.queryParams().get(n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static JsonObject page(RoutingContext ctx, JsonArray all, String field) {
        int perPage = intParam(ctx, "per_page", 50, 1, 100);
        int page = intParam(ctx, "page", 1, 1, 10_000);
        int items = all.size();
        int pages = Math.max(1, (items + perPage - 1) / perPage);
        int from = Math.min(items, (page - 1) * perPage);
        int to = Math.min(items, from + perPage);
        JsonArray slice = new JsonArray(all.getList().subList(from, to));
        return new JsonObject()
            .put("pagination", new JsonObject().put("page", page).put("pages", pages).put("per_page", perPage)
                .put("items", items).put("urls", new JsonObject()))
            .put(field, slice);
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParams().get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        Long arrival = ctx.get(ARRIVAL);
        Long arrivalMillis = ctx.get(ARRIVAL_MILLIS);
        calls.add(new Call(arrival != null ? arrival : System.nanoTime(),
            arrivalMillis != null ? arrivalMillis : System.currentTimeMillis(), ctx.request().method().name(),
            ctx.request().path(), ctx.request().query(), status, ctx.request().getHeader("Authorization"),
            ctx.request().getHeader("User-Agent")));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .end(Buffer.buffer(body.encode()));
    }

    /** Words Discogs' search ignores. */
    private static final Set<String> STOP_WORDS = Set.of("the", "and", "a");

    /** Lower-case words without accents, punctuation or stop words: the loose matching of Discogs' search. */
    static Set<String> words(String s) {
        if (s == null || s.isBlank()) {
            return Set.of();
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        Set<String> w = n.isEmpty() ? new HashSet<>() : new HashSet<>(Arrays.asList(n.split(" ")));
        w.removeAll(STOP_WORDS);
        return w;
    }

    /** Ids known per kind, for tests that want to iterate the fixtures. */
    public Map<String, List<Long>> knownIds() {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        m.put("artist", artists.keySet().stream().sorted().collect(Collectors.toList()));
        m.put("master", masters.keySet().stream().sorted().collect(Collectors.toList()));
        m.put("release", releases.keySet().stream().sorted().collect(Collectors.toList()));
        return m;
    }
}
