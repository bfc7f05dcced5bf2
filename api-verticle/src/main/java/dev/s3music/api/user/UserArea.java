package dev.s3music.api.user;

import static dev.s3music.api.JsonReplies.body;
import static dev.s3music.api.JsonReplies.noContent;
import static dev.s3music.api.JsonReplies.reply;
import static dev.s3music.api.JsonReplies.send;

import dev.s3music.api.Access;
import dev.s3music.api.CatalogJson;
import dev.s3music.api.RouteArea;
import dev.s3music.api.RouteRule;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.model.DomainException;
import dev.s3music.model.Page;
import dev.s3music.model.Song;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.PlayStat;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.PlaylistChange;
import dev.s3music.model.user.UserDataService;
import dev.s3music.model.user.UserLibrary;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.text.Normalizer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

/**
 * Each listener's own data under {@code /api/me/...} (favourites, ratings, plays, the play queue) and
 * {@code /api/playlists...}, over the {@link UserDataService} port, songs resolved through the catalog (a song whose
 * key left the bucket shows as {@code {"id","missing":true}}). Documented in {@code openapi.yaml} with
 * {@code x-area: user}. The user is always the signed-in principal: another user's private playlist is 404 on every
 * route, as an unknown one. Bodies are JSON of at most {@link #BODY_LIMIT} bytes (413 beyond); bad input is 400 and
 * changes nothing.
 */
public final class UserArea implements RouteArea {

    /** A playlist of the most songs (5,000 ids of about 100 characters) fits. */
    public static final long BODY_LIMIT = 1024 * 1024;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private static final List<RouteRule> ROUTES = List.of(
        RouteRule.of(Access.USER, "/api/me/library", GET),
        RouteRule.of(Access.USER, "/api/me/favourites", GET),
        RouteRule.of(Access.USER, "/api/me/favourites/{kind}/{id}", PUT, DELETE),
        RouteRule.of(Access.USER, "/api/me/ratings/{kind}/{id}", PUT),
        RouteRule.of(Access.USER, "/api/me/plays", POST),
        RouteRule.of(Access.USER, "/api/me/plays/most", GET),
        RouteRule.of(Access.USER, "/api/me/plays/recent", GET),
        RouteRule.of(Access.USER, "/api/me/queue", GET, PUT),
        RouteRule.of(Access.USER, "/api/playlists", GET, POST),
        RouteRule.of(Access.USER, "/api/playlists/{id}", GET, PATCH, DELETE),
        RouteRule.of(Access.ADMIN, "/api/admin/users/{username}/data", GET));

    private final UserDataService data;
    private final CatalogReader catalog;
    private final SongResolver resolver;
    private final AccountService accounts;

    /** @param accounts to tell an unknown user (404) from one without data in the admin export */
    public UserArea(UserDataService data, CatalogReader catalog, AccountService accounts) {
        this.data = Objects.requireNonNull(data, "data");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.resolver = new SongResolver(catalog);
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    @Override
    public String name() {
        return "user";
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
        r.get("/api/me/library").handler(this::library);
        r.get("/api/me/favourites").handler(this::favourites);
        r.put("/api/me/favourites/:kind/:id").handler(this::star);
        r.delete("/api/me/favourites/:kind/:id").handler(this::unstar);
        r.put("/api/me/ratings/:kind/:id").handler(body).handler(this::rate);
        r.post("/api/me/plays").handler(body).handler(this::played);
        r.get("/api/me/plays/most").handler(rc -> playList(rc, true));
        r.get("/api/me/plays/recent").handler(rc -> playList(rc, false));
        r.get("/api/me/queue").handler(this::queue);
        r.put("/api/me/queue").handler(body).handler(this::saveQueue);
        r.get("/api/playlists").handler(this::listPlaylists);
        r.post("/api/playlists").handler(body).handler(this::createPlaylist);
        r.get("/api/playlists/:id").handler(this::getPlaylist);
        r.patch("/api/playlists/:id").handler(body).handler(this::updatePlaylist);
        r.delete("/api/playlists/:id").handler(this::deletePlaylist);
        r.get("/api/admin/users/:username/data").handler(this::export);
        return Future.succeededFuture(r);
    }

    private static String user(RoutingContext rc) {
        return AuthHandler.principal(rc).username();
    }

    // --- favourites, ratings ---------------------------------------------------------------------------------------

    private void library(RoutingContext rc) {
        reply(rc, 200, data.library(user(rc)).map(UserArea::libraryJson));
    }

    static JsonObject libraryJson(UserLibrary lib) {
        JsonObject starred = new JsonObject();
        JsonObject ratings = new JsonObject();
        for (ItemKind k : ItemKind.values()) {
            JsonObject s = new JsonObject();
            lib.starred().getOrDefault(k, Map.of()).forEach((id, at) -> s.put(id, at.toString()));
            starred.put(k.wire(), s);
            JsonObject r = new JsonObject();
            lib.ratings().getOrDefault(k, Map.of()).forEach(r::put);
            ratings.put(k.wire(), r);
        }
        JsonObject plays = new JsonObject();
        lib.plays().forEach((id, p) -> plays.put(id, playJson(p)));
        return new JsonObject().put("starred", starred).put("ratings", ratings).put("plays", plays);
    }

    private static JsonObject playJson(PlayStat p) {
        return new JsonObject().put("count", p.count())
            .put("lastPlayed", p.lastPlayed() == null ? null : p.lastPlayed().toString());
    }

    private void favourites(RoutingContext rc) {
        reply(rc, 200, data.library(user(rc)).compose(lib -> {
            List<Map.Entry<String, Instant>> songs = newestFirst(lib.starred().getOrDefault(ItemKind.SONG, Map.of()));
            List<Map.Entry<String, Instant>> albums = newestFirst(lib.starred().getOrDefault(ItemKind.ALBUM, Map.of()));
            List<Map.Entry<String, Instant>> artists = newestFirst(lib.starred().getOrDefault(ItemKind.ARTIST, Map.of()));
            Future<JsonArray> songsJson = resolver.songs(songs.stream().map(Map.Entry::getKey).toList()).map(found -> {
                JsonArray a = new JsonArray();
                songs.forEach(e -> a.add(songOrMissing(e.getKey(), found).put("starredAt", e.getValue().toString())));
                return a;
            });
            Future<JsonArray> albumsJson = each(albums, e -> catalog.album(e.getKey()).map(o -> o
                .map(al -> new JsonObject().put("id", al.id()).put("name", al.name())
                    .put("artist", new JsonObject().put("id", al.artist().id()).put("name", al.artist().name())))
                .orElseGet(() -> missing(e.getKey())).put("starredAt", e.getValue().toString())));
            Future<JsonArray> artistsJson = each(artists, e -> catalog.artist(e.getKey()).map(o -> o
                .map(ar -> new JsonObject().put("id", ar.id()).put("name", ar.name()))
                .orElseGet(() -> missing(e.getKey())).put("starredAt", e.getValue().toString())));
            return Future.all(songsJson, albumsJson, artistsJson).map(v -> new JsonObject()
                .put("songs", songsJson.result()).put("albums", albumsJson.result())
                .put("artists", artistsJson.result()));
        }));
    }

    private static List<Map.Entry<String, Instant>> newestFirst(Map<String, Instant> m) {
        List<Map.Entry<String, Instant>> l = new ArrayList<>(m.entrySet());
        l.sort(Map.Entry.<String, Instant>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return l;
    }

    private static Future<JsonArray> each(List<Map.Entry<String, Instant>> items,
                                          java.util.function.Function<Map.Entry<String, Instant>, Future<JsonObject>> f) {
        List<Future<JsonObject>> calls = items.stream().map(f).toList();
        return Future.all(calls).map(v -> {
            JsonArray a = new JsonArray();
            calls.forEach(c -> a.add(c.result()));
            return a;
        });
    }

    private void star(RoutingContext rc) {
        ItemKind kind = kind(rc);
        if (kind != null) {
            noContent(rc, data.star(user(rc), kind, List.of(rc.pathParam("id"))));
        }
    }

    private void unstar(RoutingContext rc) {
        ItemKind kind = kind(rc);
        if (kind != null) {
            noContent(rc, data.unstar(user(rc), kind, List.of(rc.pathParam("id"))));
        }
    }

    private void rate(RoutingContext rc) {
        ItemKind kind = kind(rc);
        JsonObject in = kind == null ? null : body(rc);
        if (in == null) {
            return;
        }
        if (!(in.getValue("rating") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
            || n.intValue() < 0 || n.intValue() > 5) {
            rc.fail(DomainException.invalid("rating must be a whole number 1 to 5, or 0 to clear it"));
            return;
        }
        noContent(rc, data.rate(user(rc), kind, rc.pathParam("id"), n.intValue()));
    }

    /** The kind path parameter, or null after failing the request (404: no such collection). */
    private static ItemKind kind(RoutingContext rc) {
        ItemKind k = ItemKind.ofWire(rc.pathParam("kind"));
        if (k == null) {
            rc.fail(DomainException.notFound("kind " + rc.pathParam("kind") + " (songs, albums or artists)"));
        }
        return k;
    }

    // --- plays -----------------------------------------------------------------------------------------------------

    private void played(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String songId = text(rc, in, "songId");
        if (songId == null) {
            return;
        }
        Instant at = null;
        Object a = in.getValue("at");
        if (a != null) {
            try {
                at = Instant.parse((String) a);
            } catch (ClassCastException | DateTimeParseException e) {
                rc.fail(DomainException.invalid("at must be an ISO-8601 instant such as 2026-01-31T20:15:00Z"));
                return;
            }
        }
        noContent(rc, data.played(user(rc), songId, at));
    }

    private void playList(RoutingContext rc, boolean most) {
        int[] page = paging(rc);
        if (page == null) {
            return;
        }
        String username = user(rc);
        Future<Page<String>> ids = most ? data.mostPlayed(username, page[0], page[1])
            : data.recentlyPlayed(username, page[0], page[1]);
        reply(rc, 200, ids.compose(p -> data.plays(username, p.items()).compose(stats -> resolver.songs(p.items()).map(found -> {
            JsonArray items = new JsonArray();
            for (String id : p.items()) {
                PlayStat s = stats.get(id);
                items.add(songOrMissing(id, found).put("playCount", s == null ? 0 : s.count())
                    .put("lastPlayed", s == null || s.lastPlayed() == null ? null : s.lastPlayed().toString()));
            }
            return new JsonObject().put("items", items).put("offset", p.offset()).put("limit", p.limit())
                .put("total", p.total());
        }))));
    }

    /** {offset, limit} from the query, or null after failing the request (400). */
    private static int[] paging(RoutingContext rc) {
        try {
            String o = rc.queryParams().get("offset");
            String l = rc.queryParams().get("limit");
            int offset = o == null ? 0 : Integer.parseInt(o);
            int limit = l == null ? DEFAULT_LIMIT : Integer.parseInt(l);
            if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return new int[] {offset, limit};
        } catch (NumberFormatException e) {
            rc.fail(DomainException.invalid("offset must be 0 or more and limit 1 to " + MAX_LIMIT));
            return null;
        }
    }

    // --- queue -----------------------------------------------------------------------------------------------------

    private void queue(RoutingContext rc) {
        reply(rc, 200, data.queue(user(rc)).compose(this::queueJson));
    }

    private void saveQueue(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        List<String> songIds = stringList(rc, in, "songIds", true);
        if (songIds == null) {
            return;
        }
        Object current = in.getValue("current", songIds.isEmpty() ? -1 : 0);
        Object position = in.getValue("positionMs", 0);
        Object client = in.getValue("client");
        if (!(current instanceof Integer c) || !(position instanceof Number p) || p.doubleValue() != Math.rint(p.doubleValue())
            || (client != null && !(client instanceof String))) {
            rc.fail(DomainException.invalid("current must be a whole number, positionMs whole milliseconds and"
                + " client a string"));
            return;
        }
        reply(rc, 200, data.saveQueue(user(rc), new PlayQueue(songIds, c, p.longValue(), null, (String) client))
            .compose(this::queueJson));
    }

    private Future<JsonObject> queueJson(PlayQueue q) {
        return resolver.songs(q.songIds()).map(found -> {
            JsonArray songs = new JsonArray();
            q.songIds().forEach(id -> songs.add(songOrMissing(id, found)));
            return new JsonObject().put("songs", songs).put("current", q.current()).put("positionMs", q.positionMs())
                .put("changedAt", q.changedAt() == null ? null : q.changedAt().toString())
                .put("changedBy", q.changedBy());
        });
    }

    // --- playlists -------------------------------------------------------------------------------------------------

    private void listPlaylists(RoutingContext rc) {
        reply(rc, 200, data.playlists(user(rc)).compose(list -> resolver.songs(
            list.stream().flatMap(p -> p.songIds().stream()).toList()).map(found -> {
                JsonArray a = new JsonArray();
                list.forEach(p -> a.add(summary(p, found)));
                return new JsonObject().put("playlists", a);
            })));
    }

    private void createPlaylist(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String name = text(rc, in, "name");
        if (name == null) {
            return;
        }
        Object comment = in.getValue("comment");
        Object pub = in.getValue("public", false);
        if ((comment != null && !(comment instanceof String)) || !(pub instanceof Boolean)) {
            rc.fail(DomainException.invalid("comment must be a string and public true or false"));
            return;
        }
        List<String> songIds = stringList(rc, in, "songIds", false);
        if (rc.failed()) {
            return;
        }
        Future<Playlist> created = data.createPlaylist(user(rc), name, (String) comment, (Boolean) pub,
            songIds == null ? List.of() : songIds);
        created.compose(this::detail).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                Playlist p = created.result();
                rc.response().putHeader(HttpHeaders.LOCATION, "/api/playlists/" + p.id())
                    .putHeader(HttpHeaders.ETAG, etag(p));
                send(rc, 201, ar.result());
            }
        });
    }

    private void getPlaylist(RoutingContext rc) {
        Future<Playlist> p = data.playlist(user(rc), rc.pathParam("id")).compose(o -> o
            .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(DomainException.notFound("playlist"))));
        sendPlaylist(rc, 200, p);
    }

    private void sendPlaylist(RoutingContext rc, int status, Future<Playlist> playlist) {
        playlist.compose(this::detail).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                rc.response().putHeader(HttpHeaders.ETAG, etag(playlist.result()));
                send(rc, status, ar.result());
            }
        });
    }

    private void updatePlaylist(RoutingContext rc) {
        JsonObject in = body(rc);
        if (in == null) {
            return;
        }
        String name = null;
        if (in.containsKey("name")) {
            name = text(rc, in, "name");
            if (name == null) {
                return;
            }
        }
        Object comment = in.getValue("comment");
        Object pub = in.getValue("public");
        if ((comment != null && !(comment instanceof String)) || (pub != null && !(pub instanceof Boolean))) {
            rc.fail(DomainException.invalid("comment must be a string and public true or false"));
            return;
        }
        List<Integer> remove = new ArrayList<>();
        Object r = in.getValue("removeIndexes");
        if (r != null) {
            if (!(r instanceof JsonArray ra)) {
                rc.fail(DomainException.invalid("removeIndexes must be a list of positions"));
                return;
            }
            for (Object o : ra) {
                if (!(o instanceof Integer i)) {
                    rc.fail(DomainException.invalid("removeIndexes must be a list of positions"));
                    return;
                }
                remove.add(i);
            }
        }
        List<String> append = stringList(rc, in, "append", false);
        List<String> order = rc.failed() ? null : stringList(rc, in, "songIds", false);
        if (rc.failed()) {
            return;
        }
        if (order != null && (!remove.isEmpty() || append != null)) {
            rc.fail(DomainException.invalid("songIds (the whole new order) goes without removeIndexes and append"));
            return;
        }
        String expected = ifMatch(rc.request().getHeader(HttpHeaders.IF_MATCH));
        PlaylistChange change = new PlaylistChange(name, (String) comment, (Boolean) pub, remove, append, order,
            expected);
        sendPlaylist(rc, 200, data.updatePlaylist(user(rc), rc.pathParam("id"), change));
    }

    private void deletePlaylist(RoutingContext rc) {
        noContent(rc, data.deletePlaylist(user(rc), rc.pathParam("id")));
    }

    private Future<JsonObject> detail(Playlist p) {
        return resolver.songs(p.songIds()).map(found -> {
            JsonArray songs = new JsonArray();
            p.songIds().forEach(id -> songs.add(songOrMissing(id, found)));
            return summary(p, found).put("songs", songs);
        });
    }

    private static JsonObject summary(Playlist p, Map<String, Song> found) {
        long seconds = 0;
        for (String id : p.songIds()) {
            Song s = found.get(id);
            if (s != null && s.tags() != null && s.tags().durationSeconds() != null) {
                seconds += s.tags().durationSeconds();
            }
        }
        return new JsonObject().put("id", p.id()).put("owner", p.owner()).put("name", p.name())
            .put("comment", p.comment()).put("public", p.isPublic()).put("songCount", p.songIds().size())
            .put("durationSeconds", seconds)
            .put("created", p.created() == null ? null : p.created().toString())
            .put("changed", p.changed() == null ? null : p.changed().toString());
    }

    private static String etag(Playlist p) {
        return "\"" + p.version() + "\"";
    }

    /** The version an {@code If-Match} names ({@code "v"} or {@code W/"v"}), or null for none or {@code *}. */
    static String ifMatch(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        String v = header.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    // --- admin export ----------------------------------------------------------------------------------------------

    private void export(RoutingContext rc) {
        Principal admin = AuthHandler.principal(rc);
        String wanted = rc.pathParam("username");
        reply(rc, 200, accounts.list(admin).compose(users -> {
            Optional<String> name = users.stream().map(u -> u.username()).filter(u -> fold(u).equals(fold(wanted)))
                .findFirst();
            return name.isEmpty() ? Future.failedFuture(DomainException.notFound("user"))
                : data.export(name.get());
        }));
    }

    private static String fold(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    // --- JSON ------------------------------------------------------------------------------------------------------

    private static JsonObject songOrMissing(String id, Map<String, Song> found) {
        Song s = found.get(id);
        return s == null ? missing(id) : CatalogJson.listedSong(s);
    }

    private static JsonObject missing(String id) {
        return new JsonObject().put("id", id).put("missing", true);
    }

    /** A non-empty string field, or null after failing the request (400). */
    private static String text(RoutingContext rc, JsonObject in, String field) {
        if (in.getValue(field) instanceof String s && !s.isBlank()) {
            return s;
        }
        rc.fail(DomainException.invalid(field + " must be a non-empty string"));
        return null;
    }

    /** A list of strings, null when absent and not required; fails the request (400) when malformed. */
    private static List<String> stringList(RoutingContext rc, JsonObject in, String field, boolean required) {
        Object v = in.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (v instanceof JsonArray a) {
            List<String> out = new ArrayList<>(a.size());
            for (Object o : a) {
                if (!(o instanceof String s)) {
                    out = null;
                    break;
                }
                out.add(s);
            }
            if (out != null) {
                return out;
            }
        }
        rc.fail(DomainException.invalid(field + " must be a list of ids"));
        return null;
    }
}
