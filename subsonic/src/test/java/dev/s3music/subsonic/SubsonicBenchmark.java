package dev.s3music.subsonic;

import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On demand ({@code -Dgroups=benchmark -DexcludedGroups=none -Dtest=SubsonicBenchmark}): latency of the list,
 * search and index methods Subsonic clients call most, over a 100,000-song catalog (in memory, as the embedded
 * default; 2,000 artists x 5 albums x 10 songs), each request signed in with {@code u}+{@code p} (the cached
 * check), and the time to first byte of {@code /rest/stream} next to {@code /api/songs/{id}/stream} for one song
 * in S3Proxy. Prints figures; asserts only that answers are ok.
 */
@Tag("benchmark")
@ExtendWith(VertxExtension.class)
class SubsonicBenchmark {

    static final int ARTISTS = 2000;
    static final int ALBUMS = 5;
    static final int SONGS = 10;
    static final int RUNS = 300;

    @TempDir
    static Path base;
    static SubsonicServer server;
    static HttpClient http;
    static Song streamed;
    static final String AUTH = "u=student&p=" + SubsonicServer.STUDENT_PW + "&v=1.16.1&c=bench&f=json";

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        server = SubsonicServer.start(vertx, base);
        long t = System.nanoTime();
        List<Future<Boolean>> writes = new ArrayList<>();
        Random random = new Random(1);
        String[] genres = {"Classical", "Jazz", "Rock", "Folk", "Electronic", "Pop", "Blues", "Soul"};
        for (int a = 0; a < ARTISTS; a++) {
            for (int b = 0; b < ALBUMS; b++) {
                for (int s = 0; s < SONGS; s++) {
                    String key = String.format("Artist %04d/Album %d of %04d/%02d - Song %d.mp3", a, b, a, s + 1, s);
                    Song song = Song.of(SongKey.parse(key).orElseThrow(), 4_000_000 + random.nextInt(1_000_000), "e" + a + b + s,
                        Instant.parse("2024-01-01T00:00:00Z").plusSeconds(a * 100L + b * 10L + s))
                        .withTags(new SongTags(null, null, null, null, null, 1960 + random.nextInt(60),
                            genres[random.nextInt(genres.length)], 120 + random.nextInt(300), false));
                    writes.add(server.catalog.upsert(song));
                }
            }
            if (writes.size() >= 5000) {
                Future.all(writes).await(120, TimeUnit.SECONDS);
                writes.clear();
            }
        }
        Future.all(writes).await(120, TimeUnit.SECONDS);
        System.out.printf("catalog: %d songs indexed in %d ms%n", server.catalog.size().await(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        streamed = server.put("Stream Artist/Stream Album/01 Long.mp3", 8 * 1024 * 1024, "Jazz", 2001, 600);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base() + pathAndQuery)).timeout(Duration.ofSeconds(60))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code call(i)} RUNS times after a warm-up; prints p50, p99 and max in ms. */
    static void measure(String name, IntFunction<String> call) throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get(call.apply(i));
            assertThat(new JsonObject(r.body()).getJsonObject("subsonic-response").getString("status"))
                .as(name + ": " + r.body()).isEqualTo("ok");
        }
        long[] ms = new long[RUNS];
        int bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = get(call.apply(i + 1000));
            ms[i] = System.nanoTime() - t;
            bytes = r.body().length();
            assertThat(r.statusCode()).isEqualTo(200);
        }
        Arrays.sort(ms);
        System.out.printf("%-52s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d runs, last answer %d KB)%n", name,
            ms[RUNS / 2] / 1e6, ms[(int) Math.ceil(RUNS * 0.99) - 1] / 1e6, ms[RUNS - 1] / 1e6, RUNS, bytes / 1024);
    }

    @Test
    void listsSearchAndIndexesAt100kSongs() throws Exception {
        Random r = new Random(7);
        int albums = ARTISTS * ALBUMS;
        // the floor: sign-in (cached), the envelope, one HTTP exchange on this machine as loaded now
        measure("ping", i -> "/rest/ping?" + AUTH);
        measure("getAlbumList2 alphabeticalByName size=50", i -> "/rest/getAlbumList2?type=alphabeticalByName&size=50&offset="
            + r.nextInt(albums - 50) + "&" + AUTH);
        measure("getAlbumList2 newest size=500", i -> "/rest/getAlbumList2?type=newest&size=500&offset="
            + r.nextInt(albums - 500) + "&" + AUTH);
        measure("getAlbumList2 random size=50", i -> "/rest/getAlbumList2?type=random&size=50&" + AUTH);
        measure("search3 query=\"Artist 1234\"", i -> "/rest/search3?query=" + "Artist%20" + (1000 + r.nextInt(999)) + "&" + AUTH);
        measure("search3 query=\"\" songCount=500 (sync page)", i -> "/rest/search3?query=%22%22&artistCount=0&albumCount=0"
            + "&songCount=500&songOffset=" + 500 * r.nextInt(ARTISTS * ALBUMS * SONGS / 500) + "&" + AUTH);
        measure("getIndexes (2,000 artists)", i -> "/rest/getIndexes?" + AUTH);
        measure("getArtists (2,000 artists)", i -> "/rest/getArtists?" + AUTH);
    }

    @Test
    void streamTimeToFirstByteNextToTheApi() throws Exception {
        String token = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/auth/login"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                .put("username", SubsonicServer.STUDENT).put("password", SubsonicServer.STUDENT_PW).encode())).build(),
            HttpResponse.BodyHandlers.ofString()).body()).getString("token");
        URI rest = URI.create(server.base() + "/rest/stream?id=" + SubsonicIds.song(streamed.id()) + "&" + AUTH);
        URI api = URI.create(server.base() + "/api/songs/" + streamed.id() + "/stream");
        Random r = new Random(3);
        for (String which : List.of("warm-up", "/api/songs/{id}/stream", "/rest/stream", "/api/songs/{id}/stream (again)",
            "/rest/stream (again)")) {
            boolean viaRest = which.startsWith("/rest");
            long[] ns = new long[100];
            for (int i = 0; i < ns.length; i++) {
                long offset = r.nextInt(8 * 1024 * 1024 - 65536);
                HttpRequest.Builder b = HttpRequest.newBuilder(viaRest ? rest : api).timeout(Duration.ofSeconds(30))
                    .header("Range", "bytes=" + offset + "-" + (offset + 65535));
                if (!viaRest) {
                    b.header("Authorization", "Bearer " + token);
                }
                long t = System.nanoTime();
                HttpResponse<InputStream> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = resp.body()) {
                    assertThat(in.read()).isNotNegative();
                    ns[i] = System.nanoTime() - t;
                    in.readAllBytes();
                }
                assertThat(resp.statusCode()).isEqualTo(206);
            }
            if (which.equals("warm-up")) {
                continue;
            }
            Arrays.sort(ns);
            System.out.printf("TTFB %-32s p50 %6.2f ms  p99 %6.2f ms  (100 ranged 64 KB reads)%n", which,
                ns[50] / 1e6, ns[98] / 1e6);
        }
    }
}
