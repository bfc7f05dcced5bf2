package dev.s3music.api;

import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.FakeAccounts;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.model.Song;
import dev.s3music.model.auth.Role;
import dev.s3music.model.cost.S3Meters;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirect mode (issue 14) over the real verticle with the auth handler, S3Proxy and the real S3 adapter's presigned
 * links: a GET is answered 302 to a signed URL that plays (Range through the redirect: 206, the right bytes, the
 * catalog's content type), with conditionals and 416 still answered from the catalog; the link is refused by S3Proxy
 * once expired, with its signature, key or expiry altered, and for another key; no 302 without a session;
 * {@code ?redirect=false} proxies; the links handed out are counted.
 */
@ExtendWith(VertxExtension.class)
class StreamRedirectTest {

    private static final int SIZE = 300_000;
    private static final byte[] CONTENT = S3TestSupport.randomBytes(SIZE, 21);
    private static final String KEY = "Nina Simone/Pastel Blues/03 - Sinnerman.flac";
    private static final String OTHER_KEY = "Nina Simone/Pastel Blues/04 - Ain't No Use.flac";
    private static final String PW = "listener-password-1";

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static SimpleMeterRegistry registry;
    static Song song;
    static int redirectPort;
    static int shortLinkPort;
    static String token;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        registry = new SimpleMeterRegistry();
        store = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET, env.s3.endpoint()), registry);
        InMemoryCatalog catalog = new InMemoryCatalog();
        song = env.putSong(catalog, store, KEY, CONTENT);
        env.putSong(catalog, store, OTHER_KEY, S3TestSupport.randomBytes(1000, 22));
        FakeAccounts accounts = new FakeAccounts().add("student", PW, Role.LISTENER);
        token = accounts.login("student", PW, "127.0.0.1").await().token();
        redirectPort = deploy(vertx, catalog, accounts, Duration.ofMinutes(5));
        shortLinkPort = deploy(vertx, catalog, accounts, Duration.ofSeconds(3));
    }

    /** The API in redirect mode, with links valid for {@code validity}, behind the auth handler. */
    private static int deploy(Vertx vertx, InMemoryCatalog catalog, FakeAccounts accounts, Duration validity)
        throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        StreamService streams = new StreamService(catalog, store, registry, config.maxStreams(),
            config.maxStreamsPerUser(), store.links(validity), StreamMode.REDIRECT);
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        HttpApiVerticle api = new HttpApiVerticle(config, readiness, areas,
            table -> new AuthHandler(table, accounts, TrustedProxies.NONE));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        return api.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        env.close();
    }

    private static HttpResponse<byte[]> send(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI stream(int port, String query) {
        return URI.create("http://127.0.0.1:" + port + "/api/songs/" + song.id() + "/stream" + query);
    }

    private static URI redirected(int port, String... headers) throws Exception {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = "Bearer " + token;
        HttpResponse<byte[]> r = send(stream(port, ""), all);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(302);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).isEmpty();
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    private static double links() {
        return registry.get(S3Meters.LINKS).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count();
    }

    @Test
    void theRedirectTargetPlaysAndSeeksStraightFromS3() throws Exception {
        double before = links();
        URI link = redirected(redirectPort, "Range", "bytes=1000-1999");
        assertThat(link.getPort()).isEqualTo(env.s3.endpoint().getPort());
        assertThat(links()).isEqualTo(before + 1);
        assertThat(registry.get(S3Meters.LINK_BYTES).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count())
            .isGreaterThanOrEqualTo(1000);

        // the player repeats its Range to the link: S3 answers it
        HttpResponse<byte[]> ranged = send(link, "Range", "bytes=1000-1999");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, 2000));
        assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + SIZE);
        assertThat(ranged.headers().firstValue("Content-Type")).hasValue("audio/flac");
        // a seek with the same link, and the whole body
        HttpResponse<byte[]> seek = send(link, "Range", "bytes=" + (SIZE - 10) + "-");
        assertThat(seek.statusCode()).isEqualTo(206);
        assertThat(seek.body()).isEqualTo(Arrays.copyOfRange(CONTENT, SIZE - 10, SIZE));
        HttpResponse<byte[]> whole = send(link);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(CONTENT);
    }

    @Test
    void conditionalsAndUnsatisfiableRangesAreStillAnsweredFromTheCatalog() throws Exception {
        String auth = "Bearer " + token;
        assertThat(send(stream(redirectPort, ""), "Authorization", auth, "If-None-Match", song.httpEtag())
            .statusCode()).isEqualTo(304);
        assertThat(send(stream(redirectPort, ""), "Authorization", auth, "If-Match", "\"other\"").statusCode())
            .isEqualTo(412);
        HttpResponse<byte[]> unsatisfiable = send(stream(redirectPort, ""), "Authorization", auth,
            "Range", "bytes=" + SIZE + "-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        // HEAD answers what a proxied GET would, from the catalog
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(stream(redirectPort, ""))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", auth).build(),
            HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
    }

    @Test
    void aRequestMayAskForTheProxyInstead() throws Exception {
        HttpResponse<byte[]> proxied = send(stream(redirectPort, "?redirect=false"), "Authorization", "Bearer " + token,
            "Range", "bytes=0-99");
        assertThat(proxied.statusCode()).isEqualTo(206);
        assertThat(proxied.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 0, 100));
    }

    @Test
    void noRedirectWithoutASession() throws Exception {
        double before = links();
        assertThat(send(stream(redirectPort, "")).statusCode()).isEqualTo(401);
        assertThat(send(stream(redirectPort, "?redirect=true")).statusCode()).isEqualTo(401);
        assertThat(send(stream(redirectPort, ""), "Authorization", "Bearer forged.token").statusCode()).isEqualTo(401);
        assertThat(links()).isEqualTo(before);
    }

    @Test
    void anAlteredLinkIsRefusedByS3() throws Exception {
        URI link = redirected(redirectPort);
        assertThat(send(link, "Range", "bytes=0-9").statusCode()).isEqualTo(206);
        String url = link.toString();

        // another signature
        String signature = query(link, "X-Amz-Signature");
        char flipped = signature.charAt(0) == 'a' ? 'b' : 'a';
        assertThat(send(URI.create(url.replace("X-Amz-Signature=" + signature,
            "X-Amz-Signature=" + flipped + signature.substring(1)))).statusCode()).isEqualTo(403);
        // another key with the same signature: the link is bound to its one key
        String otherPath = link.getRawPath().replace("03%20-%20Sinnerman", "04%20-%20Ain%27t%20No%20Use");
        assertThat(otherPath).isNotEqualTo(link.getRawPath());
        assertThat(send(URI.create(url.replace(link.getRawPath(), otherPath))).statusCode()).isEqualTo(403);
        // a longer validity than signed
        String expires = query(link, "X-Amz-Expires");
        assertThat(send(URI.create(url.replace("X-Amz-Expires=" + expires, "X-Amz-Expires=604800"))).statusCode())
            .isEqualTo(403);
        // another content type than signed
        assertThat(send(URI.create(url.replace("response-content-type=audio%2Fflac", "response-content-type=text%2Fhtml")))
            .statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredLinkIsRefusedByS3() throws Exception {
        URI link = redirected(shortLinkPort, "Range", "bytes=0-9");
        long signedAt = System.currentTimeMillis();
        HttpResponse<byte[]> fresh = send(link, "Range", "bytes=0-9");
        // signed for 3 s from X-Amz-Date (whole seconds, so at least 2 s from now): served while valid, unless this
        // busy machine took longer than 1.5 s for the round trip
        if (System.currentTimeMillis() - signedAt < 1500) {
            assertThat(fresh.statusCode()).isEqualTo(206);
        }
        // S3 counts whole seconds from X-Amz-Date: refused at most a few seconds later, and for good
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int status;
        do {
            status = send(link, "Range", "bytes=0-9").statusCode();
            if (status == 403) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(status).as("an expired link is refused").isEqualTo(403);
        assertThat(send(link, "Range", "bytes=0-9").statusCode()).isEqualTo(403);
    }

    private static String query(URI uri, String name) {
        for (String p : uri.getRawQuery().split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in " + uri);
    }
}
