package dev.s3music.api.auth;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, item 3, per user: {@code MAX_STREAMS_PER_USER} over the real verticle with the auth handler, S3Proxy and
 * the real S3 adapter. A cap of 1 per user: a user holding one stream gets 429 with {@code Retry-After} (counted
 * {@code reason=per_user}), another user is still served, a share link counts under its owner, and once the
 * holder leaves the user is served again and the user's entry is gone from the map.
 */
@ExtendWith(VertxExtension.class)
class UserStreamCapTest {

    static final String BUCKET = "music";
    static final String PW = "student-password-1";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport uploads;
    static S3ObjectStore store;
    static SimpleMeterRegistry registry;
    static StreamService streams;
    static FakeShares shares;
    static Song big;
    static Song small;
    static int port;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        uploads = new S3TestSupport(s3, BUCKET);
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        InMemoryCatalog catalog = new InMemoryCatalog();
        big = put(catalog, "Big/Band/01 - Long.mp3", S3TestSupport.randomBytes(8 << 20, 3));
        small = put(catalog, "Small/Band/01 - Short.mp3", S3TestSupport.randomBytes(40_000, 4));
        FakeAccounts accounts = new FakeAccounts().add("student", PW, Role.LISTENER)
            .add("other", "other-password-1", Role.LISTENER);
        shares = new FakeShares();
        registry = new SimpleMeterRegistry();
        // the instance cap far away, one stream per user
        ApiConfig config = ApiConfig.of("127.0.0.1", 0).withLimits(ApiConfig.DEFAULT_IDLE_TIMEOUT,
            ApiConfig.DEFAULT_HEADER_TIMEOUT, ApiConfig.DEFAULT_MAX_STREAMS, 1);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        streams = new StreamService(catalog, store, registry, config.maxStreams(), config.maxStreamsPerUser());
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8");
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        areas.add(new AuthArea(accounts, shares, new FakeSubsonicCredentials(), proxies));
        areas.add(new ShareLinkArea(shares, catalog, streams));
        HttpApiVerticle api = new HttpApiVerticle(config, readiness, areas,
            table -> new AuthHandler(table, accounts, proxies));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
    }

    static Song put(InMemoryCatalog catalog, String key, byte[] content) {
        uploads.put(key, content);
        var info = store.head(key).await();
        Song song = Song.of(SongKey.parse(key).orElseThrow(), info.size(), info.etag(), info.lastModified());
        catalog.upsert(song).await();
        return song;
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        uploads.close();
        s3.close();
    }

    @Test
    void aUserAtTheCapGets429WithRetryAfterOthersAreServedAndTheEntryGoesWhenTheStreamsEnd() throws Exception {
        String student = login("student", PW);
        String other = login("other", "other-password-1");
        String share = shares.create(new Principal("student", Role.LISTENER, "s1"), small.id(), null,
            Duration.ofHours(1)).await().token();
        double refusedBefore = refused("per_user");
        double instanceRefusedBefore = refused("max_streams");
        try (Socket holder = new Socket()) {
            // one stream of the student that does not read: it holds the student's only slot
            holder.setReceiveBufferSize(16 * 1024);
            holder.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            holder.getOutputStream().write(("GET /api/songs/" + big.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + student + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            waitFor(() -> streams.streams("student") == 1);

            Raw second = get("/api/songs/" + small.id() + "/stream", student);
            assertThat(second.status()).as(second.head()).isEqualTo(429);
            assertThat(second.head()).containsIgnoringCase("Retry-After: 5");
            assertThat(new JsonObject(second.body()).getString("error")).isEqualTo("too_many_requests");
            assertThat(refused("per_user")).isEqualTo(refusedBefore + 1);
            assertThat(refused("max_streams")).isEqualTo(instanceRefusedBefore);

            // a share link of the student counts under the student (no principal on /s/...)
            Raw shared = get("/s/" + share + "/songs/" + small.id() + "/stream", null);
            assertThat(shared.status()).as(shared.head()).isEqualTo(429);
            assertThat(refused("per_user")).isEqualTo(refusedBefore + 2);

            // another user is served; HEAD needs no S3 connection and is never refused
            assertThat(get("/api/songs/" + small.id() + "/stream", other).status()).isEqualTo(206);
            assertThat(Raw.exchange(port, "HEAD /api/songs/" + small.id() + "/stream HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + student + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
            assertThat(streams.streams("other")).isZero();
            assertThat(streams.streamingUsers()).isEqualTo(1);
        }
        // the holder left: once the server has seen it go (its slot freed), the student is served again, and no
        // entry is left behind. Waiting on the slot, not by retrying requests: a retry while the close is still
        // on its way would be refused and counted (seen on a busy machine)
        waitFor(() -> streams.streams("student") == 0);
        assertThat(get("/api/songs/" + small.id() + "/stream", student).status()).isEqualTo(206);
        assertThat(get("/s/" + share + "/songs/" + small.id() + "/stream", null).status()).isEqualTo(206);
        waitFor(() -> streams.streamingUsers() == 0 && streams.streams() == 0);
        assertThat(streams.streams("student")).isZero();
        assertThat(refused("per_user")).isEqualTo(refusedBefore + 2);
    }

    private static String login(String user, String password) throws IOException {
        String body = new JsonObject().put("username", user).put("password", password).encode();
        Raw r = Raw.exchange(port, "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(r.status()).as(r.head() + r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    /** A ranged GET (a few bytes: it ends at once), signed in with {@code token} when not null. */
    private static Raw get(String path, String token) throws IOException {
        return Raw.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n");
    }

    private static double refused(String reason) {
        var c = registry.find("s3music.stream.refused").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** One request on its own connection, read to the end ({@code Connection: close}). */
    record Raw(int status, String head, String body) {
        static Raw exchange(int port, String request) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int end = all.indexOf("\r\n\r\n");
                String head = end < 0 ? all : all.substring(0, end);
                String body = end < 0 ? "" : all.substring(end + 4);
                return new Raw(head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : 0, head, body);
            }
        }
    }
}
