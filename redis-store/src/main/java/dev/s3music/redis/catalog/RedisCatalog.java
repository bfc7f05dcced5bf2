package dev.s3music.redis.catalog;

import dev.s3music.model.Album;
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
 * </pre>
 * A search is one script call walking at most {@link SearchWords#SCAN_CAP} entries per kind: O(log n) in the
 * library size. Every call has the deadline of its {@link RedisCommands}; failures and timeouts surface as
 * {@link DomainException} TRANSIENT.
 */
public final class RedisCatalog implements Catalog {

    private static final String ENTRY_SEP = "\u0002";

    private static final String GUARD = resource("guard.lua");
    private static final LuaScript UPSERT = new LuaScript("catalog-upsert", GUARD + "\n" + resource("upsert.lua"));
    private static final LuaScript REMOVE = new LuaScript("catalog-remove", GUARD + "\n" + resource("remove.lua"));
    private static final LuaScript ART = new LuaScript("catalog-art", GUARD + "\n" + resource("art.lua"));
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
        this.prefix = RedisKeys.hashTagged(Objects.requireNonNull(prefix, "prefix"));
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
        args.add(SearchWords.pivot(words));
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

    @Override
    public Future<Optional<String>> albumArt(String albumId) {
        return send(Request.cmd(Command.SMEMBERS).arg(prefix + "art:" + albumId)).map(r -> {
            List<String> keys = new ArrayList<>();
            for (Response k : r) {
                keys.add(k.toString());
            }
            return keys.stream().min(AlbumArt.PREFERENCE);
        });
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
        return redis.eval(REMOVE, songKeys(sk.map(SongKey::artistId).orElse(""), sk.map(SongKey::albumId).orElse(""),
            artAlbum), args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Boolean> upsertArt(String key, Guard guard) {
        Optional<String> albumId = AlbumArt.albumIdOf(key);
        if (albumId.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("not album art: " + key));
        }
        List<String> args = new ArrayList<>(4);
        args.add(key);
        addGuard(args, guard);
        return redis.eval(ART, List.of(k("seq"), k("keys"), k("art:" + albumId.get())), args)
            .map(r -> r.toInteger() == 1);
    }

    /** KEYS of upsert.lua and remove.lua (see their headers); the art set is remove's twelfth. */
    private List<String> songKeys(String artistId, String albumId, String artAlbumId) {
        return List.of(k("seq"), k("songs"), k("ixe"), k("ix:song"), k("member"), k("artists"), k("ix:artist"),
            k("albums:" + artistId), k("ix:album"), k("album:" + albumId), k("keys"), k("art:" + artAlbumId));
    }

    private static void addGuard(List<String> args, Guard g) {
        args.add(g.sequencer() != null ? "e" : g.since() != null ? "r" : "n");
        args.add(g.sequencer() != null ? g.sequencer() : "");
        args.add(g.since() != null ? String.valueOf(g.since()) : "0");
    }
}
