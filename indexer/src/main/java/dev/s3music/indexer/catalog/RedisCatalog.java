package dev.s3music.indexer.catalog;

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
 * <p>Keys, all under {@code prefix} (standalone Redis: the scripts compute key names):
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
 * library size. Connection failures surface as {@link DomainException} TRANSIENT.
 */
public final class RedisCatalog implements Catalog {

    private static final String ENTRY_SEP = "\u0002";

    private final Redis redis;
    private final String prefix;
    private final Map<String, String> sources = new HashMap<>();
    private final Map<String, String> shas = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param redis  a pooled client built by the composition root ({@code Redis.createClient(vertx, options)})
     * @param prefix namespace of every key, e.g. {@code "s3music:cat:"}
     */
    public RedisCatalog(Redis redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        String guard = resource("guard.lua");
        for (String name : List.of("upsert", "remove", "art")) {
            sources.put(name, guard + "\n" + resource(name + ".lua"));
        }
        sources.put("search", resource("search.lua"));
    }

    private static String resource(String name) {
        try (InputStream in = RedisCatalog.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a script by its SHA, loading it first when Redis does not know it (first use, or Redis restarted). */
    private Future<Response> script(String name, List<String> args) {
        String sha = shas.get(name);
        if (sha == null) {
            return load(name).compose(s -> evalsha(s, args));
        }
        return evalsha(sha, args).recover(e -> e.getMessage() != null && e.getMessage().contains("NOSCRIPT")
            ? load(name).compose(s -> evalsha(s, args)) : Future.failedFuture(e));
    }

    private Future<String> load(String name) {
        return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(sources.get(name))).map(r -> {
            shas.put(name, r.toString());
            return r.toString();
        });
    }

    private Future<Response> evalsha(String sha, List<String> args) {
        Request r = Request.cmd(Command.EVALSHA).arg(sha).arg(0);
        for (String a : args) {
            r.arg(a);
        }
        return send(r);
    }

    private Future<Response> send(Request r) {
        return redis.send(r).recover(e -> Future.failedFuture(
            e instanceof DomainException ? e : DomainException.transientFailure("redis: " + e.getMessage(), e)));
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
            .recover(e -> Future.failedFuture(DomainException.transientFailure("redis: " + e.getMessage(), e)))
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
            .recover(e -> Future.failedFuture(DomainException.transientFailure("redis: " + e.getMessage(), e)))
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
        args.add(prefix);
        args.add(String.valueOf(limit));
        args.add(String.valueOf(SearchWords.SCAN_CAP));
        args.add(SearchWords.pivot(words));
        args.addAll(words);
        return script("search", args).map(r -> {
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

    @Override
    public Future<Boolean> upsert(Song song, Guard guard) {
        List<String> args = new ArrayList<>(14);
        args.add(prefix);
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
        return script("upsert", args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Boolean> remove(String key, Guard guard) {
        List<String> args = new ArrayList<>(11);
        args.add(prefix);
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
        args.add(AlbumArt.albumIdOf(key).orElse(""));
        return script("remove", args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Boolean> upsertArt(String key, Guard guard) {
        Optional<String> albumId = AlbumArt.albumIdOf(key);
        if (albumId.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("not album art: " + key));
        }
        List<String> args = new ArrayList<>(6);
        args.add(prefix);
        args.add(key);
        addGuard(args, guard);
        args.add(albumId.get());
        return script("art", args).map(r -> r.toInteger() == 1);
    }

    private static void addGuard(List<String> args, Guard g) {
        args.add(g.sequencer() != null ? "e" : g.since() != null ? "r" : "n");
        args.add(g.sequencer() != null ? g.sequencer() : "");
        args.add(g.since() != null ? String.valueOf(g.since()) : "0");
    }
}
