package dev.s3music.redis.catalog;

import dev.s3music.embedded.RedisServerProcess;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory and the Redis catalog answer every list alike: one random library with awkward names (accents,
 * case, equal names), retags and removes, written to both, then every order, filter and page compared.
 */
class CatalogListsParityTest {

    static RedisServerProcess server;
    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        server.close();
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final List<String> NAMES = List.of("Ana", "ana", "Åna", "Bo", "bö", "Céline", "celine", "Zed", "Éa", "x");
    private static final List<String> GENRES = Arrays.asList("Rock", "rock", "Rôck", "Jazz", "Folk", "folk ", null, "  ");

    @Test
    void bothCatalogsAnswerEveryListAlike() {
        Catalog memory = new InMemoryCatalog();
        // a deadline with slack: this test shares a busy machine (the production one is REDIS_TIMEOUT)
        Catalog redisCatalog = new RedisCatalog(RedisCommands.of(redis, Duration.ofSeconds(15)), "parity:" + UUID.randomUUID() + ":");
        Random random = new Random(42);
        List<Song> songs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String key = NAMES.get(random.nextInt(NAMES.size())) + "/" + NAMES.get(random.nextInt(NAMES.size())) + "/"
                + (random.nextInt(3) == 0 ? "CD" + (1 + random.nextInt(2)) + "/" : "")
                + String.format("%02d", random.nextInt(20)) + " " + NAMES.get(random.nextInt(NAMES.size())) + i + ".mp3";
            songs.add(song(key, random));
        }
        for (Song s : songs) {
            assertThat(await(redisCatalog.upsert(s))).isEqualTo(await(memory.upsert(s)));
        }
        for (int i = 0; i < 150; i++) {
            Song s = songs.get(random.nextInt(songs.size()));
            if (random.nextBoolean()) {
                Song retagged = song(s.key(), random);
                assertThat(await(redisCatalog.upsert(retagged))).isEqualTo(await(memory.upsert(retagged)));
            } else {
                assertThat(await(redisCatalog.remove(s.key()))).isEqualTo(await(memory.remove(s.key())));
            }
        }
        // album art: several files per album, some removed again
        List<String> art = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String[] parts = songs.get(random.nextInt(songs.size())).key().split("/");
            String folder = parts[0] + "/" + parts[1] + "/";
            art.add(folder + List.of("cover.jpg", "folder.png", "Cover.PNG", "CD1/cover.jpg", "CD2/Folder.jpg", "COVER.webp")
                .get(random.nextInt(6)));
        }
        for (String key : art) {
            assertThat(await(redisCatalog.upsertArt(key, Catalog.Guard.none()))).isEqualTo(await(memory.upsertArt(key, Catalog.Guard.none())));
        }
        for (int i = 0; i < 20; i++) {
            String key = art.get(random.nextInt(art.size()));
            assertThat(await(redisCatalog.remove(key))).isEqualTo(await(memory.remove(key)));
        }
        for (String key : art) {
            String albumId = dev.s3music.model.AlbumArt.albumIdOf(key).orElseThrow();
            assertThat(await(redisCatalog.albumArt(albumId))).as(key).isEqualTo(await(memory.albumArt(albumId)));
        }

        assertThat(await(redisCatalog.genres())).isEqualTo(await(memory.genres())).isNotEmpty();
        List<String> genres = Arrays.asList(null, "rock", "JAZZ", "folk", "polka");
        List<Integer[]> years = List.of(new Integer[] {null, null}, new Integer[] {1990, 2005}, new Integer[] {2010, 1995},
            new Integer[] {-5, 0});
        long compared = 0;
        for (AlbumQuery.Order order : AlbumQuery.Order.values()) {
            for (String genre : genres) {
                for (Integer[] y : years) {
                    AlbumQuery q = new AlbumQuery(order, genre, y[0], y[1]);
                    for (int offset : new int[] {0, 3, 17, 1000}) {
                        for (int limit : new int[] {0, 5, 500}) {
                            var m = await(memory.albums(q, offset, limit));
                            var r = await(redisCatalog.albums(q, offset, limit));
                            if (order == AlbumQuery.Order.RANDOM) {
                                assertThat(r.total()).as("%s", q).isEqualTo(m.total());
                                assertThat(r.items()).as("%s", q).hasSameSizeAs(m.items()).doesNotHaveDuplicates();
                            } else {
                                assertThat(r).as("%s %d %d", q, offset, limit).isEqualTo(m);
                            }
                            compared += m.items().size();
                        }
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
        for (String genre : List.of("rock", "JAZZ", "folk", "polka")) {
            for (int offset : new int[] {0, 7, 100}) {
                assertThat(await(redisCatalog.songsByGenre(genre, offset, 20))).isEqualTo(await(memory.songsByGenre(genre, offset, 20)));
            }
            assertThat(await(redisCatalog.randomSongs(1000, genre, 1990, 2005)))
                .containsExactlyInAnyOrderElementsOf(await(memory.randomSongs(1000, genre, 1990, 2005)));
        }
        assertThat(await(redisCatalog.randomSongs(1000, null, null, null)))
            .containsExactlyInAnyOrderElementsOf(await(memory.randomSongs(1000, null, null, null)));
        List<String> albumIds = await(memory.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 1000)).items().stream()
            .map(a -> a.id()).toList();
        assertThat(await(redisCatalog.albumInfos(albumIds))).isEqualTo(await(memory.albumInfos(albumIds)));
        List<String> songIds = songs.stream().map(Song::id).toList();
        assertThat(await(redisCatalog.songs(songIds))).isEqualTo(await(memory.songs(songIds)));
        assertThat(await(redisCatalog.songs(List.of(Ids.song("no/such/song.mp3"))))).isEmpty();
    }

    private static Song song(String key, Random random) {
        SongTags tags = random.nextInt(10) == 0 ? null : new SongTags(null, null, null, null, null,
            random.nextInt(5) == 0 ? null : 1985 + random.nextInt(30), GENRES.get(random.nextInt(GENRES.size())),
            random.nextInt(4) == 0 ? null : random.nextInt(600), false);
        return Song.of(SongKey.parse(key).orElseThrow(), 100, "e", Instant.parse("2024-01-01T00:00:00Z"))
            .withTags(tags).withAddedAt(Instant.parse("2024-01-01T00:00:00Z").plusMillis(random.nextInt(5) * 86_400_123L));
    }
}
