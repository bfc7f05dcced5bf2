package dev.s3music.redis.catalog;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Latency of every catalog list at 100,000 songs (8,000 albums of 2,000 artists, 40 genres, years 1950-2024) on the
 * in-memory and the Redis catalog, in one run: p50 and p99 of each call (target p99 under 20 ms), sequential calls
 * with random offsets over the whole list (deep pages too). Prints figures; asserts nothing.
 * Run: {@code mvn -B -o -pl redis-store -am -Dgroups=benchmark -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CatalogListsBenchmark verify}
 * ({@code -Dbench.songs=100000 -Dbench.calls=400}).
 */
@Tag("benchmark")
class CatalogListsBenchmark {

    private static final int SONGS = Integer.getInteger("bench.songs", 100_000);
    private static final int CALLS = Integer.getInteger("bench.calls", 400);
    private static final int ALBUMS = SONGS * 8 / 100;
    private static final int GENRES = 40;

    @Test
    void listLatencyAt100kSongs() throws Exception {
        List<Song> songs = library();
        Vertx vertx = Vertx.vertx();
        try (RedisServerProcess server = RedisServerProcess.start()) {
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
                .setMaxPoolSize(8).setMaxPoolWaiting(100_000));
            Catalog memory = new InMemoryCatalog();
            // a long deadline: the fill keeps many scripts in flight on a shared machine
            Catalog redisCatalog = new RedisCatalog(RedisCommands.of(redis, Duration.ofSeconds(60)), "bench:");
            Map<String, long[]> fill = new LinkedHashMap<>();
            fill.put("memory", fill(memory, songs));
            fill.put("redis", fill(redisCatalog, songs));
            System.out.printf("%nCatalog lists at %,d songs, %,d albums, %d genres; %d calls each after %d warm-up%n",
                songs.size(), ALBUMS, GENRES, CALLS, CALLS / 4);
            fill.forEach((name, f) -> System.out.printf("  fill %-6s %,d songs in %,d ms (%,.0f upserts/s)%n",
                name, songs.size(), f[0], songs.size() * 1000.0 / Math.max(1, f[0])));
            Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
            results.put("memory", measure(memory, songs));
            results.put("redis", measure(redisCatalog, songs));
            System.out.printf("%n  %-44s %18s %18s%n", "call", "memory p50/p99 ms", "redis p50/p99 ms");
            for (String call : results.get("memory").keySet()) {
                double[] m = results.get("memory").get(call);
                double[] r = results.get("redis").get(call);
                System.out.printf("  %-44s %8.3f /%7.3f %8.3f /%7.3f%n", call, m[0], m[1], r[0], r[1]);
            }
            System.out.println();
            redis.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Song> library() {
        Random random = new Random(7);
        List<Song> songs = new ArrayList<>(SONGS);
        Instant t0 = Instant.parse("2023-01-01T00:00:00Z");
        for (int i = 0; i < SONGS; i++) {
            int album = i % ALBUMS;
            int artist = album / 4;
            String key = "Artist " + artist + "/Album " + album + "/" + String.format("%02d", i / ALBUMS + 1)
                + " Song " + i + ".mp3";
            // most songs of an album share its genre and year; some do not
            boolean odd = random.nextInt(8) == 0;
            int genre = odd ? random.nextInt(GENRES) : album % GENRES;
            int year = odd ? 1950 + random.nextInt(75) : 1950 + (album * 7) % 75;
            SongTags tags = new SongTags(null, null, null, null, null, year, "Genre " + genre, 120 + random.nextInt(400), false);
            songs.add(Song.of(SongKey.parse(key).orElseThrow(), 1_000_000, "e" + i, t0).withTags(tags)
                .withAddedAt(t0.plusSeconds(random.nextInt(365 * 86_400))));
        }
        return songs;
    }

    /** Upserts every song, 256 in flight; returns {ms}. */
    private static long[] fill(Catalog catalog, List<Song> songs) throws Exception {
        long t0 = System.nanoTime();
        int window = 64;
        for (int from = 0; from < songs.size(); from += window) {
            if (from % 20_000 == 0) {
                System.out.printf("  fill %s: %,d songs after %,d ms%n", catalog.getClass().getSimpleName(), from,
                    (System.nanoTime() - t0) / 1_000_000);
            }
            List<Future<Boolean>> batch = new ArrayList<>(window);
            for (Song s : songs.subList(from, Math.min(songs.size(), from + window))) {
                batch.add(catalog.upsert(s));
            }
            Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        }
        return new long[] {(System.nanoTime() - t0) / 1_000_000};
    }

    private static Map<String, double[]> measure(Catalog c, List<Song> songs) throws Exception {
        Random random = new Random(11);
        long albums = await(c.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 0)).total();
        long perGenre = await(c.albums(new AlbumQuery(AlbumQuery.Order.NAME, "genre 7", null, null), 0, 0)).total();
        long genreSongs = await(c.songsByGenre("genre 7", 0, 0)).total();
        Function<Long, Integer> offset = total -> total <= 50 ? 0 : random.nextInt((int) (total - 50));
        Map<String, Function<Integer, Future<?>>> calls = new LinkedHashMap<>();
        for (AlbumQuery.Order order : AlbumQuery.Order.values()) {
            calls.put("albums " + order.name().toLowerCase() + " limit 50",
                i -> c.albums(AlbumQuery.of(order), offset.apply(albums), 50));
        }
        calls.put("albums name limit 500", i -> c.albums(AlbumQuery.of(AlbumQuery.Order.NAME), offset.apply(albums), 500));
        calls.put("albums added genre limit 50", i -> c.albums(
            new AlbumQuery(AlbumQuery.Order.ADDED, "Genre " + random.nextInt(GENRES), null, null), offset.apply(perGenre), 50));
        calls.put("albums year 1980-1990 limit 50", i -> c.albums(new AlbumQuery(AlbumQuery.Order.YEAR, null, 1980, 1990),
            random.nextInt(900), 50));
        calls.put("albums year 2024-1950 (newest first) 50", i -> c.albums(new AlbumQuery(AlbumQuery.Order.YEAR, null, 2024, 1950),
            offset.apply(albums), 50));
        calls.put("albums name + years 1980-1990 (walk) 50", i -> c.albums(new AlbumQuery(AlbumQuery.Order.NAME, null, 1980, 1990),
            random.nextInt(900), 50));
        calls.put("albums random genre + years 50", i -> c.albums(
            new AlbumQuery(AlbumQuery.Order.RANDOM, "genre " + random.nextInt(GENRES), 1960, 2000), 0, 50));
        calls.put("albumInfos 50 ids", i -> c.albumInfos(ids(random, 50, n -> Ids.album("Artist " + n / 4, "Album " + n), ALBUMS)));
        calls.put("songs 100 ids", i -> c.songs(ids(random, 100, n -> songs.get(n).id(), songs.size())));
        calls.put("randomSongs 50", i -> c.randomSongs(50, null, null, null));
        calls.put("randomSongs 500", i -> c.randomSongs(500, null, null, null));
        calls.put("randomSongs 50 genre", i -> c.randomSongs(50, "GENRE " + random.nextInt(GENRES), null, null));
        calls.put("randomSongs 50 years 1970-1979", i -> c.randomSongs(50, null, 1970, 1979));
        calls.put("randomSongs 50 genre + years", i -> c.randomSongs(50, "genre " + random.nextInt(GENRES), 1970, 1999));
        calls.put("songsByGenre limit 50", i -> c.songsByGenre("Genre " + random.nextInt(GENRES), offset.apply(genreSongs), 50));
        calls.put("genres", i -> c.genres());
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Integer, Future<?>>> e : calls.entrySet()) {
            for (int i = 0; i < CALLS / 4; i++) {
                await(e.getValue().apply(i));
            }
            long[] nanos = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                await(e.getValue().apply(i));
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            out.put(e.getKey(), new double[] {nanos[CALLS / 2] / 1e6, nanos[(int) Math.ceil(CALLS * 0.99) - 1] / 1e6});
        }
        return out;
    }

    private static List<String> ids(Random random, int n, Function<Integer, String> id, int bound) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(id.apply(random.nextInt(bound)));
        }
        return out;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
