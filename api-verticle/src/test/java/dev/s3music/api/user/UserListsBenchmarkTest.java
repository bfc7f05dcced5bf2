package dev.s3music.api.user;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.FakeAccounts;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user lists over HTTP at 100,000 songs in the catalog (in memory), documents on S3Proxy behind the in-memory
 * cache: a listener who played 5,000 distinct songs, starred 500, with a playlist of 1,000 songs and a queue of 500.
 * Prints p50/p99 per endpoint (target p99 under 20 ms) and of recording a play. Sequential requests from one client
 * on a keep-alive connection, after a warm-up.
 *
 * <pre>mvn -B -o -pl api-verticle -am -Dgroups=benchmark -DexcludedGroups=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dtest=UserListsBenchmarkTest verify</pre>
 */
@Tag("benchmark")
class UserListsBenchmarkTest {

    private static final int SONGS = 100_000;
    private static final int ROUNDS = 300;

    @TempDir
    Path base;

    @Test
    void listsAtAHundredThousandSongs() throws Exception {
        Vertx vertx = Vertx.vertx();
        EmbeddedS3 s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket("music");
        S3ObjectStore store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, "music", s3.endpoint()));
        try {
            InMemoryCatalog catalog = new InMemoryCatalog();
            List<Song> songs = new ArrayList<>(SONGS);
            for (int i = 0; i < SONGS; i++) {
                Song s = Song.of(SongKey.parse("Artist " + (i / 1000) + "/Album " + (i / 10) + "/"
                        + String.format("%02d", i % 10 + 1) + " Song " + i + ".mp3").orElseThrow(), 4_000_000, "e" + i,
                    Instant.parse("2026-01-01T00:00:00Z"))
                    .withTags(new SongTags(null, null, null, null, null, 2000 + i % 25, "Genre " + i % 40, 180, false));
                songs.add(s);
            }
            List<Future<Boolean>> upserts = new ArrayList<>();
            songs.forEach(s -> upserts.add(catalog.upsert(s)));
            Future.all(upserts).await(120, TimeUnit.SECONDS);

            FakeAccounts accounts = new FakeAccounts().add("ana", "a long passphrase", Role.LISTENER);
            StoredUserDataService data = new StoredUserDataService(vertx, store.documents(".s3music/"),
                new InMemoryUserDataCache(), UserDataConfig.defaults());
            for (int i = 0; i < 5000; i++) {
                data.played("ana", songs.get(i * 19).id(), Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i))
                    .await(5, TimeUnit.SECONDS);
            }
            data.flush().await(60, TimeUnit.SECONDS);
            data.star("ana", ItemKind.SONG, songs.subList(0, 500).stream().map(Song::id).toList())
                .await(60, TimeUnit.SECONDS);
            String playlist = data.createPlaylist("ana", "A thousand", null, false,
                songs.subList(5000, 6000).stream().map(Song::id).toList()).await(60, TimeUnit.SECONDS).id();
            data.saveQueue("ana", new PlayQueue(songs.subList(7000, 7500).stream().map(Song::id).toList(), 10, 0, null,
                "web")).await(60, TimeUnit.SECONDS);

            ApiConfig config = ApiConfig.of("127.0.0.1", 0);
            Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
                MetadataReader.unavailable(), new StreamService(catalog, store, registry), readiness, registry));
            areas.add(new UserArea(data, catalog, accounts));
            HttpApiVerticle api = new HttpApiVerticle(config, readiness, areas,
                table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
            vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
            String token = accounts.login("ana", "a long passphrase", "127.0.0.1").await(10, TimeUnit.SECONDS).token();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            Map<String, String> gets = new LinkedHashMap<>();
            gets.put("GET /api/me/plays/most?limit=50", "/api/me/plays/most?limit=50");
            gets.put("GET /api/me/plays/recent?offset=1000&limit=50", "/api/me/plays/recent?offset=1000&limit=50");
            gets.put("GET /api/me/library (5,000 plays, 500 stars)", "/api/me/library");
            gets.put("GET /api/me/favourites (500 songs)", "/api/me/favourites");
            gets.put("GET /api/playlists/{id} (1,000 songs)", "/api/playlists/" + playlist);
            gets.put("GET /api/playlists", "/api/playlists");
            gets.put("GET /api/me/queue (500 songs)", "/api/me/queue");
            System.out.printf("%n=== user lists over HTTP, %,d songs in the catalog, %d requests each ===%n", SONGS,
                ROUNDS);
            for (Map.Entry<String, String> e : gets.entrySet()) {
                long[] t = new long[ROUNDS];
                for (int i = -50; i < ROUNDS; i++) { // 50 warm-up requests
                    long start = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + api.actualPort() + e.getValue()))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    if (i >= 0) {
                        t[i] = System.nanoTime() - start;
                    }
                }
                System.out.printf("%-48s p50 %6.2f ms  p99 %6.2f ms%n", e.getKey(), pct(t, 50) / 1e6, pct(t, 99) / 1e6);
            }
            long[] t = new long[ROUNDS];
            for (int i = -50; i < ROUNDS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.actualPort() + "/api/me/plays"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"songId\":\"" + songs.get(Math.abs(i) * 7).id() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(204);
                if (i >= 0) {
                    t[i] = System.nanoTime() - start;
                }
            }
            System.out.printf("%-48s p50 %6.2f ms  p99 %6.2f ms%n", "POST /api/me/plays", pct(t, 50) / 1e6,
                pct(t, 99) / 1e6);
        } finally {
            vertx.close().await(20, TimeUnit.SECONDS);
            store.close();
            s3.close();
        }
    }

    static long pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)];
    }
}
