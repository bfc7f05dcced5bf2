package dev.s3music.redis.catalog;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.CatalogLists;
import dev.s3music.model.CatalogLists.Range;
import dev.s3music.model.GenreCount;
import dev.s3music.model.AlbumArt;
import dev.s3music.model.AlbumSummary;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Ids;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.SearchWords;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.DomainException;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The catalog in Redis (production, ElastiCache). Every write of a key is one Lua script, so the guard
 * (sequencer or reconcile time, {@link Catalog.Guard}) and the write are atomic: competing indexers stay exact.
 *
 * <p>Keys, all under {@code prefix}, hash-tagged ({@link RedisKeys#hashTagged}: one cluster slot). Each script
 * gets every key it touches in {@code KEYS}:
 * <pre>
 *   songs            hash   song id -> song JSON ({@link SongJson})
 *   keys             zset   every key held (songs and art), lexicographic: paged key listings for reconcile
 *   seq              hash   S3 key -> "sequencer|epoch ms" of the last event applied (kept after a delete)
 *   artists          zset   listing members "sortKey \1 name \1 id" (score 0: byte order = listing order)
 *   albums:{artist}  zset   listing members of the albums of an artist
 *   album:{album}    set    song ids of an album (sorted in play order on read: albums are small)
 *   member           hash   artist/album id -> its listing member
 *   ix:artist|album|song zset  search entries "word \1 words \1 id", one per distinct word ({@link SearchWords})
 *   ixe              hash   song id -> its search entries joined by \2 (to remove them when the title changes)
 *   art:{album}      set    album art keys
 *   cover            hash   album id -> its preferred art key (AlbumArt.PREFERENCE, picked by the scripts)
 *   lists (lists.lua, {@link CatalogLists}): sf, s:year, s:gyear, s:genre, genres, ag:{album}, aa:{album}, am, ai,
 *                    a:name a:artist a:added a:year g:name g:artist g:added g:year (see lists.lua's header)
 * </pre>
 * Every key sits under {@code prefix + }{@link #LAYOUT}.
 * A search is one script call: per kind it counts each word's entries (ZLEXCOUNT, capped as
 * {@link SearchWords#countCap}), picks the pivot as {@link SearchWords#pivot} does and walks at most
 * {@link SearchWords#SCAN_CAP} of its entries: O(words * log n) in the library size. Every call has the deadline of its {@link RedisCommands}; failures and timeouts surface as
 * {@link DomainException} TRANSIENT.
 */
public final class RedisCatalog implements Catalog {

    private static final String ENTRY_SEP = "\u0002";

    /**
     * The key layout's version, after the prefix: 2 added the list indexes, which songs written by an older layout
     * lack. A new layout starts empty, so the reconcile at start rebuilds the catalog (redis-store README).
     */
    static final String LAYOUT = "2:";

    private static final String GUARD = resource("guard.lua");
    private static final String LISTS = resource("lists.lua");
    private static final LuaScript UPSERT = new LuaScript("catalog-upsert", GUARD + "\n" + LISTS + "\n" + resource("upsert.lua"));
    private static final LuaScript REMOVE = new LuaScript("catalog-remove", GUARD + "\n" + LISTS + "\n" + resource("remove.lua"));
    private static final LuaScript PAGE = new LuaScript("catalog-page", resource("page.lua"));
    private static final LuaScript RANDOM = new LuaScript("catalog-random", resource("random.lua"));
    private static final LuaScript ART = new LuaScript("catalog-art", GUARD + "\n" + LISTS + "\n" + resource("art.lua"));
    private static final LuaScript PRUNE = new LuaScript("catalog-prune", resource("prune.lua"));
    private static final LuaScript SEARCH = new LuaScript("catalog-search", resource("search.lua"));

    private final RedisCommands redis;
    private final String prefix;

    /** With the default deadline per command ({@link RedisCommands#DEFAULT_TIMEOUT}). */
    public RedisCatalog(Redis redis, String prefix) {
        this(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), prefix);
    }

    /**
     * @param redis  the pooled client built by the composition root, with its deadline per command
     * @param prefix namespace of every key, e.g. {@code "s3music:cat:"}; hash-tagged when it holds no tag
     */
    public RedisCatalog(RedisCommands redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = RedisKeys.hashTagged(Objects.requireNonNull(prefix, "prefix")) + LAYOUT;
    }

    private String k(String name) {
        return prefix + name;
    }

    private static String resource(String name) {
        try (InputStream in = RedisCatalog.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Future<Response> send(Request r) {
        return redis.send(r);
    }

    // ---- reads ----

    @Override
    public Future<Page<ArtistSummary>> artists(int offset, int limit) {
        if (limit <= 0) {
            return send(Request.cmd(Command.ZCARD).arg(prefix + "artists"))
                .map(n -> new Page<>(List.of(), offset, limit, n.toLong()));
        }
        return redis.batch(List.of(
                Request.cmd(Command.ZRANGE).arg(prefix + "artists").arg(offset).arg((long) offset + limit - 1),
                Request.cmd(Command.ZCARD).arg(prefix + "artists")))
            .map(rs -> {
                List<ArtistSummary> items = new ArrayList<>();
                for (Response m : rs.get(0)) {
                    String[] f = SearchWords.fields(m.toString());
                    items.add(new ArtistSummary(f[2], f[1]));
                }
                return new Page<>(items, offset, limit, rs.get(1).toLong());
            });
    }

    @Override
    public Future<Optional<Artist>> artist(String artistId) {
        return redis.batch(List.of(
                Request.cmd(Command.HGET).arg(prefix + "member").arg(artistId),
                Request.cmd(Command.ZRANGE).arg(prefix + "albums:" + artistId).arg(0).arg(-1)))
            .map(rs -> {
                if (rs.get(0) == null || rs.get(1).size() == 0) {
                    return Optional.empty();
                }
                List<AlbumSummary> albums = new ArrayList<>();
                for (Response m : rs.get(1)) {
                    String[] f = SearchWords.fields(m.toString());
                    albums.add(new AlbumSummary(f[2], f[1]));
                }
                return Optional.of(new Artist(artistId, SearchWords.fields(rs.get(0).toString())[1], albums));
            });
    }

    @Override
    public Future<Optional<Album>> album(String albumId) {
        return send(Request.cmd(Command.SMEMBERS).arg(prefix + "album:" + albumId)).compose(ids -> {
            if (ids.size() == 0) {
                return Future.succeededFuture(Optional.empty());
            }
            Request get = Request.cmd(Command.HMGET).arg(prefix + "songs");
            for (Response id : ids) {
                get.arg(id.toString());
            }
            return send(get).map(rs -> {
                List<Song> songs = new ArrayList<>();
                for (Response r : rs) {
                    if (r != null) {
                        songs.add(SongJson.decode(r.toString()));
                    }
                }
                if (songs.isEmpty()) {
                    return Optional.<Album>empty();
                }
                songs.sort(InMemoryCatalog.SONG_ORDER);
                Song any = songs.get(0);
                return Optional.of(new Album(albumId, any.albumName(),
                    new ArtistSummary(any.artistId(), any.artistName()), songs));
            });
        });
    }

    @Override
    public Future<Optional<Song>> song(String songId) {
        return send(Request.cmd(Command.HGET).arg(prefix + "songs").arg(songId))
            .map(r -> r == null ? Optional.empty() : Optional.of(SongJson.decode(r.toString())));
    }

    @Override
    public Future<SearchResult> search(String query, int limit) {
        List<String> words = SearchWords.words(query);
        if (words.isEmpty() || limit <= 0) {
            return Future.succeededFuture(new SearchResult(List.of(), List.of(), List.of()));
        }
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(limit));
        args.add(String.valueOf(SearchWords.SCAN_CAP));
        args.addAll(words);
        return redis.eval(SEARCH, List.of(k("ix:song"), k("ix:artist"), k("ix:album"), k("member"), k("songs")), args)
            .map(r -> {
            List<ArtistSummary> artists = new ArrayList<>();
            for (int i = 0; i + 1 < r.get(0).size(); i += 2) {
                artists.add(new ArtistSummary(r.get(0).get(i).toString(), SearchWords.fields(r.get(0).get(i + 1).toString())[1]));
            }
            List<AlbumSummary> albums = new ArrayList<>();
            for (int i = 0; i + 1 < r.get(1).size(); i += 2) {
                albums.add(new AlbumSummary(r.get(1).get(i).toString(), SearchWords.fields(r.get(1).get(i + 1).toString())[1]));
            }
            List<Song> songs = new ArrayList<>();
            for (Response s : r.get(2)) {
                songs.add(SongJson.decode(s.toString()));
            }
            return new SearchResult(artists, albums, songs);
        });
    }

    @Override
    public Future<Long> size() {
        return send(Request.cmd(Command.HLEN).arg(prefix + "songs")).map(Response::toLong);
    }

    /** The preferred art key, kept by the art and remove scripts in {@code cover} (lists.lua's art_refresh). */
    @Override
    public Future<Optional<String>> albumArt(String albumId) {
        return send(Request.cmd(Command.HGET).arg(k("cover")).arg(albumId))
            .map(r -> r == null ? Optional.empty() : Optional.of(r.toString()));
    }

    // ---- lists (CatalogLists; their indexes are written by lists.lua in every upsert and remove) ----

    @Override
    public Future<Page<AlbumInfo>> albums(AlbumQuery q, int offset, int limit) {
        Future<Page<String>> ids;
        try {
            Objects.requireNonNull(q, "query");
            CatalogLists.checkPage(offset, limit);
            String gk = q.genre() == null ? null : CatalogLists.queryGenre(q.genre());
            String base = gk == null ? "" : gk + CatalogLists.SEP;
            int set = gk == null ? 0 : 4;
            int[] years = null;
            if (q.fromYear() != null) {
                years = CatalogLists.clampYears(q.fromYear(), q.toYear());
                if (years == null) {
                    return Future.succeededFuture(new Page<>(List.of(), offset, limit, 0));
                }
            }
            Range filtered = years != null ? CatalogLists.years(base, years[0], years[1])
                : gk == null ? Range.ALL : Range.prefix(base);
            switch (q.order()) {
                case YEAR -> ids = lexPage(albumIndex(set + 3), filtered, offset, limit,
                    q.fromYear() != null && q.fromYear() > q.toYear(), CatalogLists::albumIdOf);
                case RANDOM -> ids = random(albumIndex(set + (years != null ? 3 : 0)), filtered, offset, limit)
                    .map(p -> new Page<>(p.items().stream().map(CatalogLists::albumIdOf).toList(), offset, limit, p.total()));
                default -> {
                    String index = albumIndex(set + switch (q.order()) {
                        case NAME -> 0;
                        case ARTIST -> 1;
                        default -> 2;
                    });
                    Range r = gk == null ? Range.ALL : Range.prefix(base);
                    ids = years == null ? lexPage(index, r, offset, limit, false, CatalogLists::albumIdOf)
                        : redis.eval(PAGE, List.of(index, albumIndex(set + 3)), List.of(min(r), max(r),
                            String.valueOf(offset), String.valueOf(limit), String.valueOf(years[0]),
                            String.valueOf(years[1]), min(filtered), max(filtered)))
                        .map(res -> {
                            List<String> items = new ArrayList<>();
                            for (int i = 1; i < res.size(); i++) {
                                items.add(CatalogLists.albumIdOf(res.get(i).toString()));
                            }
                            return new Page<>(items, offset, limit, res.get(0).toLong());
                        });
                }
            }
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return ids.compose(p -> infos(p.items()).map(found -> new Page<>(
            p.items().stream().map(found::get).filter(Objects::nonNull).toList(), offset, limit, p.total())));
    }

    @Override
    public Future<Map<String, AlbumInfo>> albumInfos(Collection<String> albumIds) {
        return infos(CatalogLists.distinct(albumIds));
    }

    @Override
    public Future<Map<String, Song>> songs(Collection<String> songIds) {
        return songsById(CatalogLists.distinct(songIds));
    }

    @Override
    public Future<List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear) {
        Future<List<String>> ids;
        try {
            CatalogLists.checkCount(count);
            String gk = genre == null ? null : CatalogLists.queryGenre(genre);
            boolean byYear = fromYear != null || toYear != null;
            int[] years = byYear ? CatalogLists.clampYears(fromYear == null ? CatalogLists.MIN_YEAR : fromYear,
                toYear == null ? CatalogLists.MAX_YEAR : toYear) : null;
            if (count == 0 || (byYear && years == null)) {
                return Future.succeededFuture(List.of());
            }
            if (gk == null && years == null) {
                ids = send(Request.cmd(Command.HRANDFIELD).arg(k("songs")).arg(count)).map(RedisCatalog::strings);
            } else {
                String base = gk == null ? "" : gk + CatalogLists.SEP;
                Range r = years == null ? Range.prefix(base) : CatalogLists.years(base, years[0], years[1]);
                ids = random(k(gk == null ? "s:year" : "s:gyear"), r, 0, count)
                    .map(p -> p.items().stream().map(CatalogLists::songIdOf).toList());
            }
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return ids.compose(list -> songsById(list).map(found -> list.stream().map(found::get).filter(Objects::nonNull).toList()));
    }

    @Override
    public Future<Page<Song>> songsByGenre(String genre, int offset, int limit) {
        Future<Page<String>> ids;
        try {
            String gk = CatalogLists.queryGenre(genre);
            CatalogLists.checkPage(offset, limit);
            ids = lexPage(k("s:genre"), Range.prefix(gk + CatalogLists.SEP), offset, limit, false, CatalogLists::songIdOf);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return ids.compose(p -> songsById(p.items()).map(found -> new Page<>(
            p.items().stream().map(found::get).filter(Objects::nonNull).toList(), offset, limit, p.total())));
    }

    @Override
    public Future<List<GenreCount>> genres() {
        return send(Request.cmd(Command.HGETALL).arg(k("genres"))).map(r -> {
            Map<String, String> fields = new HashMap<>();
            for (String f : r.getKeys()) {
                fields.put(f, r.get(f).toString());
            }
            return CatalogLists.genresFromFields(fields);
        });
    }

    private String albumIndex(int i) {
        return k(CatalogLists.ALBUM_INDEXES.get(i));
    }

    private static String min(Range r) {
        return r.min().isEmpty() ? "-" : "[" + r.min();
    }

    private static String max(Range r) {
        return r.max().equals(CatalogLists.TOP) ? "+" : "[" + r.max();
    }

    /** A page of a lexicographic range and the range's size, in one batch. */
    private Future<Page<String>> lexPage(String key, Range r, int offset, int limit, boolean reverse,
                                         Function<String, String> id) {
        Request count = Request.cmd(Command.ZLEXCOUNT).arg(key).arg(min(r)).arg(max(r));
        if (limit == 0) {
            return send(count).map(n -> new Page<>(List.of(), offset, limit, n.toLong()));
        }
        Request range = reverse
            ? Request.cmd(Command.ZREVRANGEBYLEX).arg(key).arg(max(r)).arg(min(r))
            : Request.cmd(Command.ZRANGEBYLEX).arg(key).arg(min(r)).arg(max(r));
        range.arg("LIMIT").arg(offset).arg(limit);
        return redis.batch(List.of(range, count)).map(rs -> new Page<>(
            strings(rs.get(0)).stream().map(id).toList(), offset, limit, rs.get(1).toLong()));
    }

    /** {@code min(limit, total - offset)} distinct members of a range drawn at random (random.lua). */
    private Future<Page<String>> random(String key, Range r, int offset, int limit) {
        return redis.eval(RANDOM, List.of(key), List.of(min(r), max(r), String.valueOf(offset), String.valueOf(limit),
                String.valueOf(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE))))
            .map(res -> {
                List<String> items = new ArrayList<>();
                for (int i = 1; i < res.size(); i++) {
                    items.add(res.get(i).toString());
                }
                return new Page<>(items, offset, limit, res.get(0).toLong());
            });
    }

    /** The album infos of these ids, with their covers: two HMGETs in one batch. */
    private Future<Map<String, AlbumInfo>> infos(List<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        Request info = Request.cmd(Command.HMGET).arg(k("ai"));
        Request cover = Request.cmd(Command.HMGET).arg(k("cover"));
        ids.forEach(info::arg);
        ids.forEach(cover::arg);
        return redis.batch(List.of(info, cover)).map(rs -> {
            Map<String, AlbumInfo> out = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Response r = rs.get(0).get(i);
                if (r != null) {
                    Response c = rs.get(1).get(i);
                    out.put(ids.get(i), albumInfo(ids.get(i), r.toString(), c == null ? null : c.toString()));
                }
            }
            return out;
        });
    }

    /** lists.lua's "albumName \1 artistId \1 artistName \1 songs \1 seconds \1 year \1 genre \1 addedMs \1 gk". */
    private static AlbumInfo albumInfo(String id, String info, String cover) {
        String[] f = info.split(String.valueOf(CatalogLists.SEP), -1);
        return new AlbumInfo(id, f[0], new ArtistSummary(f[1], f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
            f[5].isEmpty() ? null : Integer.valueOf(f[5]), f[6].isEmpty() ? null : f[6],
            CatalogLists.instant(Long.parseLong(f[7])), cover);
    }

    private Future<Map<String, Song>> songsById(List<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        Request get = Request.cmd(Command.HMGET).arg(k("songs"));
        ids.forEach(get::arg);
        return send(get).map(rs -> {
            Map<String, Song> out = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Response r = rs.get(i);
                if (r != null) {
                    out.put(ids.get(i), SongJson.decode(r.toString()));
                }
            }
            return out;
        });
    }

    private static List<String> strings(Response r) {
        List<String> out = new ArrayList<>(r == null ? 0 : r.size());
        if (r != null) {
            for (Response m : r) {
                out.add(m.toString());
            }
        }
        return out;
    }

    @Override
    public Future<Long> clock() {
        return send(Request.cmd(Command.TIME))
            .map(r -> Long.parseLong(r.get(0).toString()) * 1000 + Long.parseLong(r.get(1).toString()) / 1000);
    }

    @Override
    public Future<Map<String, Song>> songsByKey(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        List<String> ordered = List.copyOf(keys);
        Request get = Request.cmd(Command.HMGET).arg(prefix + "songs");
        for (String k : ordered) {
            get.arg(Ids.song(k));
        }
        return send(get).map(rs -> {
            Map<String, Song> out = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                Response r = rs.get(i);
                if (r != null) {
                    out.put(ordered.get(i), SongJson.decode(r.toString()));
                }
            }
            return out;
        });
    }

    @Override
    public Future<KeyPage> keys(String cursor, int count) {
        return send(Request.cmd(Command.ZRANGEBYLEX).arg(prefix + "keys").arg(cursor == null ? "-" : "(" + cursor)
            .arg("+").arg("LIMIT").arg(0).arg(count))
            .map(r -> {
                List<String> keys = new ArrayList<>();
                for (Response k : r) {
                    keys.add(k.toString());
                }
                return new KeyPage(keys, keys.size() < count ? null : keys.get(keys.size() - 1));
            });
    }

    // ---- writes ----

    /** HSCAN of {@code seq} in a script: each step is atomic with its membership checks; the cursor is HSCAN's. */
    @Override
    public Future<PruneStep> pruneTombstones(String cursor, int count, long before) {
        return redis.eval(PRUNE, List.of(prefix + "seq", prefix + "keys"),
                List.of(cursor == null ? "0" : cursor, String.valueOf(Math.max(1, count)), String.valueOf(before)))
            .map(r -> {
                String next = r.get(0).toString();
                return new PruneStep(r.get(1).toLong(), "0".equals(next) ? null : next);
            });
    }

    @Override
    public Future<Boolean> upsert(Song song, Guard guard) {
        List<String> args = new ArrayList<>(13);
        args.add(song.key());
        args.add(song.id());
        args.add(SongJson.encode(song));
        addGuard(args, guard);
        args.add(song.artistId());
        args.add(SearchWords.listingMember(song.artistName(), song.artistId()));
        args.add(song.albumId());
        args.add(SearchWords.listingMember(song.albumName(), song.albumId()));
        args.add(String.join(ENTRY_SEP, SearchWords.entries(song.title(), song.id())));
        args.add(String.join(ENTRY_SEP, SearchWords.entries(song.artistName(), song.artistId())));
        args.add(String.join(ENTRY_SEP, SearchWords.entries(song.albumName(), song.albumId())));
        CatalogLists.SongFacts f = CatalogLists.facts(song);
        args.add(f.year() == null ? "" : String.valueOf(f.year()));
        args.add(orEmpty(f.genreKey()));
        args.add(orEmpty(f.genreSpelling()));
        args.add(String.valueOf(f.durationSeconds()));
        args.add(orEmpty(f.yearMember()));
        args.add(orEmpty(f.genreYearMember()));
        args.add(orEmpty(f.genreMember()));
        addHeads(args, song.albumName(), song.artistId(), song.artistName());
        return redis.eval(UPSERT, songKeys(song.artistId(), song.albumId(), ""), args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Boolean> remove(String key, Guard guard) {
        List<String> args = new ArrayList<>(10);
        args.add(key);
        addGuard(args, guard);
        Optional<SongKey> sk = SongKey.parse(key);
        if (sk.isPresent()) {
            SongKey k = sk.get();
            args.add(k.songId());
            args.add(k.artistId());
            args.add(k.albumId());
            args.add(String.join(ENTRY_SEP, SearchWords.entries(k.artistName(), k.artistId())));
            args.add(String.join(ENTRY_SEP, SearchWords.entries(k.albumName(), k.albumId())));
        } else {
            args.addAll(List.of("", "", "", "", ""));
        }
        String artAlbum = AlbumArt.albumIdOf(key).orElse("");
        args.add(artAlbum);
        if (sk.isPresent()) {
            addHeads(args, sk.get().albumName(), sk.get().artistId(), sk.get().artistName());
        } else {
            args.addAll(List.of("", "", ""));
        }
        return redis.eval(REMOVE, songKeys(sk.map(SongKey::artistId).orElse(""), sk.map(SongKey::albumId).orElse(""),
            artAlbum), args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Boolean> upsertArt(String key, Guard guard) {
        Optional<String> albumId = AlbumArt.albumIdOf(key);
        if (albumId.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("not album art: " + key));
        }
        List<String> args = new ArrayList<>(5);
        args.add(key);
        addGuard(args, guard);
        args.add(albumId.get());
        return redis.eval(ART, List.of(k("seq"), k("keys"), k("art:" + albumId.get()), k("cover")), args)
            .map(r -> r.toInteger() == 1);
    }

    /** KEYS of upsert.lua and remove.lua (see their headers and lists.lua's); the art set is remove's twelfth. */
    private List<String> songKeys(String artistId, String albumId, String artAlbumId) {
        List<String> keys = new ArrayList<>(List.of(k("seq"), k("songs"), k("ixe"), k("ix:song"), k("member"),
            k("artists"), k("ix:artist"), k("albums:" + artistId), k("ix:album"), k("album:" + albumId), k("keys"),
            k("art:" + artAlbumId), k("sf"), k("s:year"), k("s:gyear"), k("s:genre"), k("genres"), k("ag:" + albumId),
            k("aa:" + albumId), k("am"), k("ai")));
        for (String index : CatalogLists.ALBUM_INDEXES) {
            keys.add(k(index));
        }
        keys.add(k("cover"));
        return keys;
    }

    /** The album head ("albumName \1 artistId \1 artistName"), name head and artist head of lists.lua. */
    private static void addHeads(List<String> args, String albumName, String artistId, String artistName) {
        args.add(albumName + CatalogLists.SEP + artistId + CatalogLists.SEP + artistName);
        args.add(CatalogLists.nameHead(albumName, artistName));
        args.add(CatalogLists.artistHead(albumName, artistName));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void addGuard(List<String> args, Guard g) {
        args.add(g.sequencer() != null ? "e" : g.since() != null ? "r" : "n");
        args.add(g.sequencer() != null ? g.sequencer() : "");
        args.add(g.since() != null ? String.valueOf(g.since()) : "0");
    }
}
