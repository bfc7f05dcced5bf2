package dev.s3music.api;

import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.s3.CountingTcpProxy;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET and HEAD /api/songs/{id}/stream against S3Proxy through the real S3 adapter. The adapter reaches S3Proxy
 * through a counting TCP relay, and the verticle sees it through a counting decorator, so the tests can prove
 * which answers cost no S3 request and that a client abort stops the S3 transfer.
 */
@ExtendWith(VertxExtension.class)
class StreamingApiTest {

    private static final int SIZE = 200_000;
    private static final byte[] CONTENT = S3TestSupport.randomBytes(SIZE, 11);
    private static final String KEY = "Miles Davis/Kind of Blue/01 - So What.mp3";
    private static final List<String> ODD_KEYS = List.of(
        "A B/C D/01 space name.flac",
        "Björk/Homogenic/02 Jóga – ünïcödé 日本.flac",
        "AC+DC/1+1=2/03 a+b.ogg",
        "100%/50% off/04 %41%2F.m4a",
        "Hash#Tag/Q?uery/05 what? #1.opus",
        "Guns N' Roses/Appetite/06 Sweet Child o' Mine.wav");

    private static final String LOOSE_KEY = "Loose Track.mp3";
    private static final byte[] LOOSE = S3TestSupport.randomBytes(3000, 77);

    @TempDir
    static Path base;
    static ApiTestServer env;
    static CountingTcpProxy relay;
    static S3ObjectStore s3Store;
    static CountingStore store;
    static InMemoryCatalog catalog;
    static Song song;
    static WebClient client;
    static int port;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        relay = CountingTcpProxy.start(vertx, "127.0.0.1", env.s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        s3Store = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET,
            URI.create("http://127.0.0.1:" + relay.port())));
        store = new CountingStore(s3Store);
        catalog = new InMemoryCatalog();
        song = env.putSong(catalog, s3Store, KEY, CONTENT);
        for (int i = 0; i < ODD_KEYS.size(); i++) {
            env.putSong(catalog, s3Store, ODD_KEYS.get(i), S3TestSupport.randomBytes(5000 + i, 50 + i));
        }
        env.putSong(catalog, s3Store, LOOSE_KEY, LOOSE);
        HttpApiVerticle api = ApiTestServer.deploy(vertx, catalog, store, null).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        s3Store.close();
        relay.close();
        env.close();
    }

    @BeforeEach
    void resetCounts() {
        store.reset();
    }

    private static String streamPath(String id) {
        return "/api/songs/" + id + "/stream";
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, Map<String, String> headers) {
        var request = client.request(method, port, "127.0.0.1", path);
        headers.forEach(request::putHeader);
        return request.send().await();
    }

    private static HttpResponse<Buffer> get(Map<String, String> headers) {
        return send(HttpMethod.GET, streamPath(song.id()), headers);
    }

    private static byte[] slice(long first, long last) {
        return Arrays.copyOfRange(CONTENT, (int) first, (int) last + 1);
    }

    /** A file at the bucket root is browsable: artists, its artist, its album, the song, its stream. */
    @Test
    void looseFileIsBrowsableFromTheArtistList() {
        var artists = send(HttpMethod.GET, "/api/artists?limit=100", Map.of()).bodyAsJsonObject().getJsonArray("items");
        String artistId = artists.stream().map(o -> (io.vertx.core.json.JsonObject) o)
            .filter(a -> a.getString("name").equals("Unknown artist")).findFirst().orElseThrow().getString("id");
        var artist = send(HttpMethod.GET, "/api/artists/" + artistId, Map.of());
        assertThat(artist.statusCode()).as(artist.bodyAsString()).isEqualTo(200);
        var albums = artist.bodyAsJsonObject().getJsonArray("albums");
        assertThat(albums).hasSize(1);
        var album = send(HttpMethod.GET, "/api/albums/" + albums.getJsonObject(0).getString("id"), Map.of());
        assertThat(album.statusCode()).as(album.bodyAsString()).isEqualTo(200);
        var songs = album.bodyAsJsonObject().getJsonArray("songs");
        assertThat(songs).hasSize(1);
        String songId = songs.getJsonObject(0).getString("id");
        assertThat(send(HttpMethod.GET, "/api/songs/" + songId, Map.of()).statusCode()).isEqualTo(200);
        var stream = send(HttpMethod.GET, streamPath(songId), Map.of());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body().getBytes()).isEqualTo(LOOSE);
    }

    @Test
    void wholeSongIs200WithLengthTypeAndValidators() {
        var r = get(Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.getHeader("Content-Type")).isEqualTo("audio/mpeg");
        assertThat(r.getHeader("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.getHeader("ETag")).isEqualTo(song.httpEtag()).startsWith("\"");
        assertThat(r.getHeader("Last-Modified")).isEqualTo(Conditionals.httpDate(song.lastModified()));
        assertThat(r.getHeader("Content-Range")).isNull();
        assertThat(r.body().getBytes()).isEqualTo(CONTENT);
        assertThat(store.opens.get()).isEqualTo(1);
        assertThat(store.heads.get()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0|0|0",
        "bytes=0-99|0|99",
        "bytes=1000-1999|1000|1999",
        "bytes=150000-|150000|199999",
        "bytes=199999-|199999|199999",
        "bytes=-100|199900|199999",
        "bytes=-1|199999|199999",
        "bytes=190000-900000|190000|199999",
        "bytes=-900000|0|199999",
        "bytes=0-|0|199999",
    })
    void singleRangeIs206WithExactBytes(String range, long first, long last) {
        var r = get(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.getHeader("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.getHeader("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertThat(r.getHeader("ETag")).isEqualTo(song.httpEtag());
        assertThat(r.body().getBytes()).isEqualTo(slice(first, last));
        assertThat(store.opens.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=200000-", "bytes=200000-200010", "bytes=999999-", "bytes=-0"})
    void unsatisfiableRangeIs416WithoutAskingS3(String range) {
        var r = get(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.getHeader("Content-Range")).isEqualTo("bytes */" + SIZE);
        assertThat(store.requests.get()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=5-1", "bytes=0-1,5-9", "bytes=abc", "items=0-1", "bytes=", "bytes=--5", "0-100"})
    void malformedOrMultiRangeIsIgnoredWith200(String range) {
        var r = get(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().getBytes()).isEqualTo(CONTENT);
    }

    @Test
    void headAnswersLikeGetWithoutBodyAndWithoutS3() {
        var whole = send(HttpMethod.HEAD, streamPath(song.id()), Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.getHeader("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(whole.getHeader("ETag")).isEqualTo(song.httpEtag());
        assertThat(whole.getHeader("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.body()).isNull();
        var ranged = send(HttpMethod.HEAD, streamPath(song.id()), Map.of("Range", "bytes=10-19"));
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.getHeader("Content-Range")).isEqualTo("bytes 10-19/" + SIZE);
        assertThat(ranged.getHeader("Content-Length")).isEqualTo("10");
        var unknown = send(HttpMethod.HEAD, streamPath(Ids.song("No/Such/song.mp3")), Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(store.requests.get()).isZero();
    }

    @Test
    void ifNoneMatchIs304WithoutS3() {
        for (String inm : List.of(song.httpEtag(), "W/" + song.httpEtag(), "\"other\", " + song.httpEtag(), "*")) {
            var r = get(Map.of("If-None-Match", inm));
            assertThat(r.statusCode()).as(inm).isEqualTo(304);
            assertThat(r.getHeader("ETag")).isEqualTo(song.httpEtag());
            assertThat(r.body()).isNull();
        }
        assertThat(store.requests.get()).isZero();
        var changed = get(Map.of("If-None-Match", "\"other\""));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body().getBytes()).isEqualTo(CONTENT);
    }

    @Test
    void ifModifiedSinceIs304UnlessModified() {
        String lastModified = Conditionals.httpDate(song.lastModified());
        assertThat(get(Map.of("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
        assertThat(get(Map.of("If-Modified-Since", Conditionals.httpDate(Instant.now().plusSeconds(3600)))).statusCode()).isEqualTo(304);
        assertThat(store.requests.get()).isZero();
        assertThat(get(Map.of("If-Modified-Since", Conditionals.httpDate(song.lastModified().minusSeconds(60)))).statusCode()).isEqualTo(200);
        assertThat(get(Map.of("If-Modified-Since", "not a date")).statusCode()).isEqualTo(200);
        // If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3)
        assertThat(get(Map.of("If-None-Match", "\"other\"", "If-Modified-Since", lastModified)).statusCode()).isEqualTo(200);
    }

    @Test
    void ifRangeKeepsTheRangeOnlyWhenItStillHolds() {
        var match = get(Map.of("Range", "bytes=100-199", "If-Range", song.httpEtag()));
        assertThat(match.statusCode()).isEqualTo(206);
        assertThat(match.body().getBytes()).isEqualTo(slice(100, 199));
        var byDate = get(Map.of("Range", "bytes=100-199", "If-Range", Conditionals.httpDate(song.lastModified())));
        assertThat(byDate.statusCode()).isEqualTo(206);
        for (String stale : List.of("\"old\"", "W/" + song.httpEtag(), Conditionals.httpDate(song.lastModified().minusSeconds(5)), "junk")) {
            var r = get(Map.of("Range", "bytes=100-199", "If-Range", stale));
            assertThat(r.statusCode()).as(stale).isEqualTo(200);
            assertThat(r.body().getBytes()).isEqualTo(CONTENT);
        }
    }

    @Test
    void ifMatchMismatchIs412WithoutS3() {
        assertThat(get(Map.of("If-Match", "\"other\"")).statusCode()).isEqualTo(412);
        assertThat(get(Map.of("If-Unmodified-Since", Conditionals.httpDate(song.lastModified().minusSeconds(60)))).statusCode()).isEqualTo(412);
        assertThat(store.requests.get()).isZero();
        assertThat(get(Map.of("If-Match", song.httpEtag(), "Range", "bytes=0-9")).statusCode()).isEqualTo(206);
    }

    @Test
    void unknownSongIs404Json() {
        var r = send(HttpMethod.GET, streamPath(Ids.song("Nobody/Nothing/01 silence.mp3")), Map.of());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
        assertThat(store.requests.get()).isZero();
    }

    @Test
    void idsNamingKeysOutsideTheLibraryNeverReachS3() {
        List<String> forged = List.of(
            Ids.song("../etc/passwd.mp3"), Ids.song("A/../../x.mp3"), Ids.song("/etc/x.mp3"), Ids.song("A/B/\u0000x.mp3"),
            Ids.song("A/B/x\n.mp3"), Ids.song(".s3music/accounts/admin.mp3"), Ids.song("A//x.mp3"), Ids.song("A\\B\\x.mp3"),
            Ids.song(KEY) + "A", "QQ", "QR");
        for (String id : forged) {
            var r = send(HttpMethod.GET, streamPath(id), Map.of());
            assertThat(r.statusCode()).as(id).isEqualTo(404);
        }
        for (String raw : List.of("..", "%2e%2e", "a.b", "a%2Fb", "a%00b", "=", "a+b")) {
            var r = send(HttpMethod.GET, streamPath(raw), Map.of());
            assertThat(r.statusCode()).as(raw).isIn(400, 404);
        }
        assertThat(store.requests.get()).isZero();
    }

    @Test
    void oddKeysStreamByteExact() {
        for (int i = 0; i < ODD_KEYS.size(); i++) {
            byte[] expected = S3TestSupport.randomBytes(5000 + i, 50 + i);
            var r = send(HttpMethod.GET, streamPath(Ids.song(ODD_KEYS.get(i))), Map.of("Range", "bytes=100-"));
            assertThat(r.statusCode()).as(ODD_KEYS.get(i)).isEqualTo(206);
            assertThat(r.body().getBytes()).isEqualTo(Arrays.copyOfRange(expected, 100, expected.length));
            var whole = send(HttpMethod.GET, streamPath(Ids.song(ODD_KEYS.get(i))), Map.of());
            assertThat(whole.body().getBytes()).isEqualTo(expected);
        }
    }

    @Test
    void handPlacedFileWithoutEtagIsServedWithASyntheticValidator() throws Exception {
        String key = "Hand/Placed/01 by hand.aiff";
        Path file = base.resolve(ApiTestServer.BUCKET).resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "FORM-by-hand-0123456789");
        var info = s3Store.head(key).await(5, TimeUnit.SECONDS);
        assertThat(info.etag()).isNull();
        Song s = ApiTestServer.song(key, info.size(), null, info.lastModified());
        catalog.upsert(s).await();
        var r = send(HttpMethod.GET, streamPath(s.id()), Map.of("Range", "bytes=5-"));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.bodyAsString()).isEqualTo("by-hand-0123456789");
        assertThat(r.getHeader("ETag")).isEqualTo(s.httpEtag());
        assertThat(r.getHeader("Content-Type")).isEqualTo("audio/aiff");
        assertThat(send(HttpMethod.GET, streamPath(s.id()), Map.of("If-None-Match", s.httpEtag())).statusCode()).isEqualTo(304);
    }

    @Test
    void replacedObjectIsServedFreshAfterOneHead() {
        String key = "Changing/Album/01 take.mp3";
        byte[] v1 = "version one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "the second, longer version".getBytes(StandardCharsets.UTF_8);
        Song stale = env.putSong(catalog, s3Store, key, v1);
        env.uploads.put(key, v2); // S3 changes; the catalog has not heard yet
        store.reset();
        var r = send(HttpMethod.GET, streamPath(stale.id()), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().getBytes()).isEqualTo(v2);
        assertThat(r.getHeader("ETag")).isNotEqualTo(stale.httpEtag());
        assertThat(store.opens.get()).isEqualTo(2);
        assertThat(store.heads.get()).isEqualTo(1);
        // a range the stale size allowed but the new one does not is judged on the new size
        var ranged = send(HttpMethod.GET, streamPath(stale.id()), Map.of("Range", "bytes=0-3"));
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.bodyAsString()).isEqualTo("the ");
    }

    @Test
    void deletedObjectIs404() throws Exception {
        String key = "Gone/Album/01 deleted.mp3";
        Song gone = env.putSong(catalog, s3Store, key, "soon gone".getBytes(StandardCharsets.UTF_8));
        Files.delete(base.resolve(ApiTestServer.BUCKET).resolve(key));
        var r = send(HttpMethod.GET, streamPath(gone.id()), Map.of());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
    }

    @Test
    void emptySongIs200WithNoBodyAndNoS3Request() throws Exception {
        String key = "Empty/Album/00 silence.mp3";
        Path file = base.resolve(ApiTestServer.BUCKET).resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        var info = s3Store.head(key).await(5, TimeUnit.SECONDS);
        Song s = ApiTestServer.song(key, info.size(), info.etag(), info.lastModified());
        catalog.upsert(s).await();
        store.reset();
        var r = send(HttpMethod.GET, streamPath(s.id()), Map.of("Range", "bytes=0-10"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Content-Length")).isEqualTo("0");
        assertThat(store.requests.get()).isZero();
    }

    @Test
    void clientAbortStopsTheS3Transfer(Vertx vertx) throws Exception {
        String key = "Big/Album/01 very long take.flac";
        int size = 48 * 1024 * 1024;
        Song big = env.putSong(catalog, s3Store, key, S3TestSupport.randomBytes(size, 99));
        // a server of its own, whose S3 adapter goes through a relay of its own: its counts are this stream's
        CountingTcpProxy ownRelay = CountingTcpProxy.start(vertx, "127.0.0.1", env.s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        S3ObjectStore ownStore = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET,
            URI.create("http://127.0.0.1:" + ownRelay.port())));
        HttpApiVerticle api = ApiTestServer.deploy(vertx, catalog, ownStore, null).await(20, TimeUnit.SECONDS);
        // a fixed receive window, as the slow listener's below: no autotuned tens of MB in flight to the listener
        HttpClient http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setReceiveBufferSize(64 * 1024));
        Promise<Long> received = Promise.promise();
        long[] count = {0};
        http.request(HttpMethod.GET, api.actualPort(), "127.0.0.1", streamPath(big.id()))
            .compose(req -> req.send())
            .onSuccess(resp -> resp.handler(buf -> {
                count[0] += buf.length();
                if (count[0] >= 512 * 1024 && received.tryComplete(count[0])) {
                    resp.request().connection().close(); // the listener skips to the next song
                }
            }))
            .onFailure(received::tryFail);
        received.future().await(10, TimeUnit.SECONDS);
        await(vertx, () -> ownRelay.connections() == 1 && ownRelay.openUpstream() == 0);
        long sent = ownRelay.bytesFromServer();
        System.out.printf("client abort: S3 sent %d of %d bytes%n", sent, size);
        await(vertx, () -> false, 15); // 300 ms more: nothing may flow
        assertThat(ownRelay.bytesFromServer()).isEqualTo(sent);
        assertThat(sent).as("bytes S3 sent of %d", size).isLessThan(size / 4);
        http.close();
        ownRelay.close();
        ownStore.close();
    }

    @Test
    void slowClientHoldsBackTheS3Transfer(Vertx vertx) throws Exception {
        String key = "Big/Album/02 slow listener.flac";
        // large enough that the kernel's socket buffers on the three loopback hops (autotuned: 4 MB to send and up to
        // 32 MB to receive each, grown in the first fast second) stay well under half of it: 19-26 MB of a 48 MB song
        // were in flight on a busy machine, which is buffering, not S3 still sending (the count settles)
        int size = 96 * 1024 * 1024;
        Song big = env.putSong(catalog, s3Store, key, S3TestSupport.randomBytes(size, 98));
        CountingTcpProxy ownRelay = CountingTcpProxy.start(vertx, "127.0.0.1", env.s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        S3ObjectStore ownStore = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET,
            URI.create("http://127.0.0.1:" + ownRelay.port())));
        HttpApiVerticle api = ApiTestServer.deploy(vertx, catalog, ownStore, null).await(20, TimeUnit.SECONDS);
        // a fixed receive window: Linux autotunes an unset one up to tcp_rmem's max (32 MB here) while the player
        // still reads, which on a busy machine let most of the song into the listener's kernel buffer (44 of 48 MB)
        HttpClient http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setReceiveBufferSize(64 * 1024));
        Promise<io.vertx.core.http.HttpClientResponse> paused = Promise.promise();
        long[] count = {0};
        http.request(HttpMethod.GET, api.actualPort(), "127.0.0.1", streamPath(big.id()))
            .compose(req -> req.send())
            .onSuccess(resp -> resp.handler(buf -> {
                count[0] += buf.length();
                if (count[0] >= 256 * 1024 && !paused.future().isComplete()) {
                    resp.pause(); // the listener's player stops reading
                    paused.complete(resp);
                }
            }))
            .onFailure(paused::tryFail);
        var response = paused.future().await(10, TimeUnit.SECONDS);
        // once every socket buffer on the way is full, S3 sends nothing more
        long[] last = {-1};
        await(vertx, () -> {
            long now = ownRelay.bytesFromServer();
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        }, 25);
        await(vertx, () -> false, 25); // then 500 ms more
        long settled = ownRelay.bytesFromServer();
        System.out.printf("slow listener: S3 sent %d of %d bytes while the listener read nothing%n", settled, size);
        await(vertx, () -> false, 25);
        assertThat(ownRelay.bytesFromServer()).isEqualTo(settled);
        // what got through sits in the socket buffers of the three TCP hops (a few MB each on loopback)
        assertThat(settled).as("bytes S3 sent of %d while the client reads nothing", size).isLessThan(size / 2);
        response.request().connection().close();
        await(vertx, () -> ownRelay.openUpstream() == 0);
        http.close();
        ownRelay.close();
        ownStore.close();
    }

    /** Waits for a condition, polling every 20 ms, at most {@code tries} times; false after that. */
    private static boolean await(Vertx vertx, BooleanSupplier condition, int tries) throws Exception {
        for (int i = 0; i < tries; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Promise<Void> p = Promise.promise();
            vertx.setTimer(20, t -> p.complete());
            p.future().await(1, TimeUnit.SECONDS);
        }
        return condition.getAsBoolean();
    }

    private static void await(Vertx vertx, BooleanSupplier condition) throws Exception {
        assertThat(await(vertx, condition, 250)).as("condition within 5 s").isTrue();
    }

}
