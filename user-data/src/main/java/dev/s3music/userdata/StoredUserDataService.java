package dev.s3music.userdata;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Page;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.PlayStat;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.PlaylistChange;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.model.user.UserDataService;
import dev.s3music.model.user.UserLibrary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.text.Collator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@link UserDataService} over documents in a {@link DocumentStore} (S3, the bucket's {@code .s3music/}) behind a
 * {@link UserDataCache} (Redis, or memory).
 *
 * <pre>
 *  users/&lt;b64url(fold(name))&gt;/library.json   starred + ratings         conditional write per change
 *  users/&lt;...&gt;/plays.json                     song -&gt; {count, last}    buffered, written by flushDue()
 *  users/&lt;...&gt;/queue.json                     the play queue            last writer wins (still conditional)
 *  playlists/&lt;id&gt;.json                       one playlist, its owner   conditional write per change
 * </pre>
 *
 * Every change is a {@link CachedDocuments#update}: read, apply, conditional write, on CONFLICT read the store
 * again and apply again. Plays are counted in memory ({@link PlayBuffer}) and added to the user's plays document
 * by {@link #flushDue} (a timer, see {@link PlayFlushVerticle}) at most once per {@code flushEvery} per user; reads
 * add what is still buffered here, so counts are right at once on this instance.
 */
public final class StoredUserDataService implements UserDataService {

    private static final Logger LOG = LoggerFactory.getLogger(StoredUserDataService.class);

    /** Page size of the per-user lists at most. */
    public static final int MAX_LIMIT = 500;
    static final int MAX_NAME = 200;
    static final int MAX_COMMENT = 2000;
    static final int MAX_ID = 1024;
    /** Song, album and artist ids are base64url; playlist ids too (16 characters). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PLAYLIST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int PARALLEL_READS = 32;
    /** Users whose plays are written at once by one flush. */
    static final int FLUSH_PARALLEL = 8;

    private final Vertx vertx;
    private final CachedDocuments docs;
    private final UserDataConfig config;
    private final Clock clock;
    private final PlayBuffer buffer = new PlayBuffer();
    /** Parsed plays of the users in use (a listener's lists page through one parse per version). */
    private final PlaysView.Memo playsViews = new PlaysView.Memo(10_000);
    private final SecureRandom random = new SecureRandom();

    public StoredUserDataService(Vertx vertx, DocumentStore store, UserDataCache cache, UserDataConfig config,
                                 Clock clock) {
        this.vertx = vertx;
        this.docs = new CachedDocuments(vertx, store, cache, config.writeAttempts());
        this.config = config;
        this.clock = clock;
    }

    public StoredUserDataService(Vertx vertx, DocumentStore store, UserDataCache cache, UserDataConfig config) {
        this(vertx, store, cache, config, Clock.systemUTC());
    }

    public UserDataConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- favourites and ratings

    @Override
    public Future<UserLibrary> library(String username) {
        return docs.read(UserKeys.library(username)).compose(lib -> plays(username).map(plays -> {
            JsonObject doc = lib.exists() ? lib.document() : new JsonObject();
            Map<ItemKind, Map<String, Instant>> starred = new EnumMap<>(ItemKind.class);
            Map<ItemKind, Map<String, Integer>> ratings = new EnumMap<>(ItemKind.class);
            for (ItemKind k : ItemKind.values()) {
                Map<String, Instant> s = new HashMap<>();
                section(doc, "starred", k).forEach(e -> s.put(e.getKey(), Instant.parse((String) e.getValue())));
                starred.put(k, Map.copyOf(s));
                Map<String, Integer> r = new HashMap<>();
                section(doc, "ratings", k).forEach(e -> r.put(e.getKey(), ((Number) e.getValue()).intValue()));
                ratings.put(k, Map.copyOf(r));
            }
            return new UserLibrary(username, starred, ratings, plays);
        }));
    }

    @Override
    public Future<Void> star(String username, ItemKind kind, List<String> ids) {
        try {
            checkIds(ids, "ids");
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        String now = clock.instant().toString();
        return docs.update(UserKeys.library(username), (doc, version) -> {
            JsonObject next = doc == null ? newDocument() : doc;
            JsonObject s = mutableSection(next, "starred", kind);
            ids.forEach(id -> {
                if (!s.containsKey(id)) {
                    s.put(id, now); // starring again keeps the first time
                }
            });
            return next;
        }).mapEmpty();
    }

    @Override
    public Future<Void> unstar(String username, ItemKind kind, List<String> ids) {
        try {
            checkIds(ids, "ids");
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return docs.update(UserKeys.library(username), (doc, version) -> {
            if (doc == null) {
                return null;
            }
            JsonObject s = mutableSection(doc, "starred", kind);
            ids.forEach(s::remove);
            return doc;
        }).mapEmpty();
    }

    @Override
    public Future<Void> rate(String username, ItemKind kind, String id, int rating) {
        if (rating < 0 || rating > 5) {
            return Future.failedFuture(DomainException.invalid("rating must be 1 to 5, or 0 to clear it"));
        }
        try {
            checkId(id, "id");
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return docs.update(UserKeys.library(username), (doc, version) -> {
            if (doc == null && rating == 0) {
                return null;
            }
            JsonObject next = doc == null ? newDocument() : doc;
            JsonObject r = mutableSection(next, "ratings", kind);
            if (rating == 0) {
                r.remove(id);
            } else {
                r.put(id, rating);
            }
            return next;
        }).mapEmpty();
    }

    // ---------------------------------------------------------------- plays

    @Override
    public Future<Void> played(String username, String songId, Instant at) {
        try {
            checkId(songId, "songId");
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        Instant now = clock.instant();
        // a client's clock may be off: a play is never in the future
        buffer.add(username, songId, at == null || at.isAfter(now) ? now : at);
        return Future.succeededFuture();
    }

    @Override
    public Future<Page<String>> mostPlayed(String username, int offset, int limit) {
        return playList(username, offset, limit, true);
    }

    @Override
    public Future<Page<String>> recentlyPlayed(String username, int offset, int limit) {
        return playList(username, offset, limit, false);
    }

    private Future<Page<String>> playList(String username, int offset, int limit, boolean byCount) {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            return Future.failedFuture(DomainException.invalid("offset must be 0 or more and limit 1 to " + MAX_LIMIT));
        }
        return storedPlays(username).map(view -> {
            Map<String, PlayBuffer.Delta> unwritten = buffer.unwritten(username);
            // nothing buffered: the view's order, sorted once per version; else the merged plays, sorted now
            List<String> ids = unwritten.isEmpty() ? view.order(byCount)
                : PlaysView.sorted(merge(view, unwritten), byCount);
            List<String> page = offset >= ids.size() ? List.of()
                : ids.subList(offset, Math.min(ids.size(), offset + limit));
            return new Page<>(page, offset, limit, ids.size());
        });
    }

    /** The stored plays plus those buffered here. */
    private Future<Map<String, PlayStat>> plays(String username) {
        return storedPlays(username).map(view -> {
            Map<String, PlayBuffer.Delta> unwritten = buffer.unwritten(username);
            return unwritten.isEmpty() ? view.stats : merge(view, unwritten);
        });
    }

    private static Map<String, PlayStat> merge(PlaysView view, Map<String, PlayBuffer.Delta> unwritten) {
        Map<String, PlayStat> plays = new HashMap<>(view.stats);
        unwritten.forEach((song, d) -> plays.put(song, PlayBuffer.merge(plays.get(song), d)));
        return plays;
    }

    private Future<PlaysView> storedPlays(String username) {
        String key = UserKeys.plays(username);
        return docs.read(key).map(doc -> doc.exists() ? playsViews.view(key, doc.document(), doc.version())
            : PlaysView.EMPTY);
    }

    /**
     * Writes the buffered plays of every user whose last write was at least {@code flushEvery} ago: one conditional
     * write per user, merged with what other instances wrote (counts add, the latest time wins). Called by a timer.
     */
    public Future<Void> flushDue() {
        return write(buffer.take(clock.millis(), config.flushEvery().toMillis()));
    }

    @Override
    public Future<Void> flush() {
        return write(buffer.take(clock.millis(), 0));
    }

    /** Whether plays wait to be written (tests, the stop). */
    public boolean hasBufferedPlays() {
        return !buffer.isEmpty();
    }

    /**
     * Writes the batches, {@link #FLUSH_PARALLEL} users at a time: a tick that finds a whole class due must not
     * open a hundred S3 requests at once (the first tick after a start found every user due and timed out on S3Proxy).
     */
    private Future<Void> write(List<PlayBuffer.Batch> batches) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < batches.size(); i += FLUSH_PARALLEL) {
            List<PlayBuffer.Batch> slice = batches.subList(i, Math.min(batches.size(), i + FLUSH_PARALLEL));
            chain = chain.compose(v -> Future.join(slice.stream().map(this::write).toList()).transform(ar ->
                Future.<Void>succeededFuture()));
        }
        return chain;
    }

    private Future<Void> write(PlayBuffer.Batch b) {
        return docs.update(UserKeys.plays(b.username()), (doc, version) -> {
            JsonObject next = doc == null ? newDocument() : doc;
            JsonObject plays = next.getJsonObject("plays");
            if (plays == null) {
                plays = new JsonObject();
                next.put("plays", plays);
            }
            for (Map.Entry<String, PlayBuffer.Delta> e : b.plays().entrySet()) {
                JsonObject s = plays.getJsonObject(e.getKey());
                PlayStat stored = s == null ? null : new PlayStat(s.getLong("count", 0L),
                    s.getString("last") == null ? null : Instant.parse(s.getString("last")));
                PlayStat merged = PlayBuffer.merge(stored, e.getValue());
                plays.put(e.getKey(), new JsonObject().put("count", merged.count())
                    .put("last", merged.lastPlayed().toString()));
            }
            return next;
        }).<Void>mapEmpty().andThen(ar -> {
            if (ar.succeeded()) {
                buffer.written(b);
            } else {
                LOG.warn("plays of {} not written, kept for the next tick: {}", b.username(), ar.cause().toString());
                buffer.failed(b);
            }
        });
    }

    // ---------------------------------------------------------------- play queue

    @Override
    public Future<PlayQueue> queue(String username) {
        return docs.read(UserKeys.queue(username)).map(d -> d.exists() ? queueOf(d.document()) : PlayQueue.empty());
    }

    @Override
    public Future<PlayQueue> saveQueue(String username, PlayQueue queue) {
        try {
            checkSongs(queue.songIds(), "songIds");
            if (queue.songIds().isEmpty() ? queue.current() > 0 || queue.current() < -1
                : queue.current() < 0 || queue.current() >= queue.songIds().size()) {
                throw DomainException.invalid("current must be the index of a song of the queue");
            }
            if (queue.positionMs() < 0) {
                throw DomainException.invalid("positionMs must be 0 or more");
            }
            if (queue.changedBy() != null && queue.changedBy().length() > MAX_NAME) {
                throw DomainException.invalid("client must be at most " + MAX_NAME + " characters");
            }
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        PlayQueue saved = new PlayQueue(queue.songIds(), queue.songIds().isEmpty() ? -1 : queue.current(),
            queue.positionMs(), clock.instant(), queue.changedBy());
        // last writer wins (as Subsonic's savePlayQueue): whatever is there is replaced
        return docs.update(UserKeys.queue(username), (doc, version) -> queueJson(saved)).map(saved);
    }

    static PlayQueue queueOf(JsonObject d) {
        String at = d.getString("changedAt");
        return new PlayQueue(strings(d.getJsonArray("songIds")), d.getInteger("current", -1),
            d.getLong("positionMs", 0L), at == null ? null : Instant.parse(at), d.getString("changedBy"));
    }

    static JsonObject queueJson(PlayQueue q) {
        return newDocument()
            .put("songIds", new JsonArray(new ArrayList<>(q.songIds())))
            .put("current", q.current())
            .put("positionMs", q.positionMs())
            .put("changedAt", q.changedAt() == null ? null : q.changedAt().toString())
            .put("changedBy", q.changedBy());
    }

    // ---------------------------------------------------------------- playlists

    @Override
    public Future<List<Playlist>> playlists(String username) {
        Collator collator = Collator.getInstance(Locale.ROOT);
        collator.setStrength(Collator.SECONDARY);
        return allPlaylists().map(all -> all.stream()
            .filter(p -> p.isPublic() || UserKeys.same(p.owner(), username))
            .sorted(Comparator.comparing(Playlist::name, collator).thenComparing(Playlist::id))
            .toList());
    }

    /**
     * Every playlist: one listing of {@code playlists/} (its versions tell which cached copies are current), then a
     * read of each one the cache does not hold at that version.
     */
    private Future<List<Playlist>> allPlaylists() {
        return listFrom(null, new ArrayList<>());
    }

    private Future<List<Playlist>> listFrom(String cursor, List<Playlist> acc) {
        return docs.store().list(UserKeys.PLAYLISTS, cursor, DocumentStore.MAX_LIST_LIMIT).compose(page -> {
            List<DocumentPage.Entry> entries = page.documents();
            Future<Void> chain = Future.succeededFuture();
            for (int i = 0; i < entries.size(); i += PARALLEL_READS) {
                List<DocumentPage.Entry> slice = entries.subList(i, Math.min(entries.size(), i + PARALLEL_READS));
                chain = chain.compose(v -> Future.all(slice.stream().map(this::current).toList()).map(all -> {
                    for (int j = 0; j < all.size(); j++) {
                        CachedDocument d = all.resultAt(j);
                        if (d.exists()) {
                            acc.add(playlistOf(d.document(), d.version()));
                        }
                    }
                    return null;
                }));
            }
            return chain.compose(v -> page.cursor() == null ? Future.succeededFuture(acc) : listFrom(page.cursor(), acc));
        });
    }

    /** The listed document at the listed version: the cached copy when it is that version, else read. */
    private Future<CachedDocument> current(DocumentPage.Entry e) {
        return docs.read(e.key()).compose(d -> d.exists() && e.version() != null && e.version().equals(d.version())
            ? Future.succeededFuture(d) : docs.readStore(e.key()));
    }

    @Override
    public Future<Optional<Playlist>> playlist(String username, String id) {
        if (!PLAYLIST_ID.matcher(id == null ? "" : id).matches()) {
            return Future.succeededFuture(Optional.empty());
        }
        return docs.read(UserKeys.playlist(id)).map(d -> {
            if (!d.exists()) {
                return Optional.empty();
            }
            Playlist p = playlistOf(d.document(), d.version());
            return p.isPublic() || UserKeys.same(p.owner(), username) ? Optional.of(p) : Optional.empty();
        });
    }

    @Override
    public Future<Playlist> createPlaylist(String username, String name, String comment, boolean isPublic,
                                           List<String> songIds) {
        List<String> songs = songIds == null ? List.of() : songIds;
        String cleanName;
        try {
            cleanName = checkName(name);
            checkComment(comment);
            checkSongs(songs, "songIds");
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return create(username, cleanName, comment, isPublic, songs, 0);
    }

    private Future<Playlist> create(String username, String name, String comment, boolean isPublic,
                                    List<String> songs, int attempt) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String now = clock.instant().toString();
        JsonObject doc = newDocument().put("rev", 1L)
            .put("id", id).put("owner", username).put("name", name).put("comment", comment)
            .put("public", isPublic).put("songIds", new JsonArray(new ArrayList<>(songs)))
            .put("created", now).put("changed", now);
        return docs.store().create(UserKeys.playlist(id), doc)
            .compose(version -> docs.offer(UserKeys.playlist(id), new CachedDocument(doc, version, 1))
                .map(v -> playlistOf(doc, version)))
            .recover(e -> DomainException.is(e, DomainException.Kind.CONFLICT) && attempt < 3
                ? create(username, name, comment, isPublic, songs, attempt + 1) // 96 random bits: never, but cheap
                : Future.failedFuture(e));
    }

    @Override
    public Future<Playlist> updatePlaylist(String username, String id, PlaylistChange change) {
        String name;
        try {
            name = change.name() == null ? null : checkName(change.name());
            checkComment(change.comment());
            checkSongs(change.appendSongIds(), "append");
            if (change.replaceSongIds() != null) {
                checkSongs(change.replaceSongIds(), "songIds");
            }
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        if (!PLAYLIST_ID.matcher(id == null ? "" : id).matches()) {
            return Future.failedFuture(DomainException.notFound("playlist"));
        }
        String now = clock.instant().toString();
        return docs.update(UserKeys.playlist(id), (doc, version) -> {
            if (doc == null || !UserKeys.same(doc.getString("owner"), username)) {
                throw DomainException.notFound("playlist");
            }
            if (change.expectedVersion() != null && !change.expectedVersion().equals(version)) {
                throw new CachedDocuments.VersionMismatch("the playlist changed since version "
                    + change.expectedVersion());
            }
            List<String> songs = new ArrayList<>(strings(doc.getJsonArray("songIds")));
            if (change.replaceSongIds() != null) {
                songs = new ArrayList<>(change.replaceSongIds());
            } else {
                TreeSet<Integer> remove = new TreeSet<>(Comparator.reverseOrder());
                for (Integer i : change.removeIndexes()) {
                    if (i == null || i < 0 || i >= songs.size()) {
                        throw DomainException.invalid("removeIndexes: " + i + " is not a position of the playlist (0 to "
                            + (songs.size() - 1) + ")");
                    }
                    remove.add(i);
                }
                for (int i : remove) {
                    songs.remove(i);
                }
                songs.addAll(change.appendSongIds());
            }
            if (songs.size() > config.maxSongs()) {
                throw DomainException.invalid("a playlist holds at most " + config.maxSongs() + " songs");
            }
            if (name != null) {
                doc.put("name", name);
            }
            if (change.comment() != null) {
                doc.put("comment", change.comment());
            }
            if (change.isPublic() != null) {
                doc.put("public", change.isPublic());
            }
            doc.put("songIds", new JsonArray(new ArrayList<>(songs)));
            return doc.put("changed", now);
        }).map(v -> playlistOf(v.value(), v.version()));
    }

    @Override
    public Future<Void> deletePlaylist(String username, String id) {
        if (!PLAYLIST_ID.matcher(id == null ? "" : id).matches()) {
            return Future.failedFuture(DomainException.notFound("playlist"));
        }
        String key = UserKeys.playlist(id);
        // from the store, not the cache: a stale copy must not decide who owns it
        return docs.readStore(key).compose(d -> {
            if (!d.exists() || !UserKeys.same(d.document().getString("owner"), username)) {
                return Future.failedFuture(DomainException.notFound("playlist"));
            }
            return docs.delete(key, d.rev());
        });
    }

    static Playlist playlistOf(JsonObject d, String version) {
        return new Playlist(d.getString("id"), d.getString("owner"), d.getString("name"), d.getString("comment"),
            d.getBoolean("public", false), strings(d.getJsonArray("songIds")), instant(d.getString("created")),
            instant(d.getString("changed")), version);
    }

    // ---------------------------------------------------------------- export

    @Override
    public Future<JsonObject> export(String username) {
        return docs.readStore(UserKeys.library(username))
            .compose(lib -> flushUser(username).compose(v -> docs.readStore(UserKeys.plays(username)))
                .compose(plays -> docs.readStore(UserKeys.queue(username))
                    .compose(queue -> allPlaylists().map(all -> {
                        JsonObject l = lib.exists() ? lib.document() : new JsonObject();
                        JsonArray own = new JsonArray();
                        all.stream().filter(p -> UserKeys.same(p.owner(), username))
                            .sorted(Comparator.comparing(Playlist::created, Comparator.nullsLast(Comparator.naturalOrder())))
                            .forEach(p -> own.add(playlistExport(p)));
                        return new JsonObject()
                            .put("username", username)
                            .put("exportedAt", clock.instant().toString())
                            .put("starred", l.getJsonObject("starred", new JsonObject()))
                            .put("ratings", l.getJsonObject("ratings", new JsonObject()))
                            .put("plays", plays.exists() ? plays.document().getJsonObject("plays", new JsonObject())
                                : new JsonObject())
                            .put("queue", queue.exists() ? queueExport(queueOf(queue.document())) : null)
                            .put("playlists", own);
                    }))));
    }

    /** Writes this user's buffered plays now (the export must hold them). */
    private Future<Void> flushUser(String username) {
        return buffer.unwritten(username).isEmpty() ? Future.succeededFuture() : flush();
    }

    private static JsonObject playlistExport(Playlist p) {
        return new JsonObject().put("id", p.id()).put("name", p.name()).put("comment", p.comment())
            .put("public", p.isPublic()).put("songIds", new JsonArray(new ArrayList<>(p.songIds())))
            .put("created", p.created() == null ? null : p.created().toString())
            .put("changed", p.changed() == null ? null : p.changed().toString());
    }

    private static JsonObject queueExport(PlayQueue q) {
        JsonObject j = queueJson(q);
        j.remove("v");
        return j;
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject newDocument() {
        return new JsonObject().put("v", 1);
    }

    private static Iterable<Map.Entry<String, Object>> section(JsonObject doc, String field, ItemKind kind) {
        JsonObject f = doc.getJsonObject(field);
        JsonObject s = f == null ? null : f.getJsonObject(kind.wire());
        return s == null ? List.of() : s;
    }

    private static JsonObject mutableSection(JsonObject doc, String field, ItemKind kind) {
        JsonObject f = doc.getJsonObject(field);
        if (f == null) {
            f = new JsonObject();
            doc.put(field, f);
        }
        JsonObject s = f.getJsonObject(kind.wire());
        if (s == null) {
            s = new JsonObject();
            f.put(kind.wire(), s);
        }
        return s;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : a) {
                out.add((String) o);
            }
        }
        return out;
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static void checkId(String id, String what) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID || !ID.matcher(id).matches()) {
            throw DomainException.invalid(what + " must be an id (letters, digits, - and _)");
        }
    }

    private static void checkIds(List<String> ids, String what) {
        if (ids == null || ids.isEmpty()) {
            throw DomainException.invalid(what + " must name at least one item");
        }
        ids.forEach(id -> checkId(id, what));
    }

    private void checkSongs(List<String> ids, String what) {
        if (ids == null) {
            throw DomainException.invalid(what + " must be a list of song ids");
        }
        if (ids.size() > config.maxSongs()) {
            throw DomainException.invalid(what + ": at most " + config.maxSongs() + " songs");
        }
        ids.forEach(id -> checkId(id, what));
    }

    private static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME) {
            throw DomainException.invalid("name must be 1 to " + MAX_NAME + " characters");
        }
        return n;
    }

    private static void checkComment(String comment) {
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw DomainException.invalid("comment must be at most " + MAX_COMMENT + " characters");
        }
    }
}
