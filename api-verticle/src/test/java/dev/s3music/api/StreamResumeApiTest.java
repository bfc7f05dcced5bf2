package dev.s3music.api;

import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.s3.CountingTcpProxy;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 through the HTTP API: the S3 connection cut mid-stream while a listener plays (item 4: resumed, every
 * byte arrives), and a catalog entry holding a forged ETag (item 7: HEAD and GET answer sanely, no header injected).
 */
@ExtendWith(VertxExtension.class)
class StreamResumeApiTest {

    private static final byte[] CONTENT = S3TestSupport.randomBytes(6 * 1024 * 1024 + 5, 31);

    @TempDir
    static Path base;
    static ApiTestServer env;
    static CountingTcpProxy relay;
    static S3ObjectStore s3Store;
    static InMemoryCatalog catalog;
    static SimpleMeterRegistry registry;
    static WebClient client;
    static int port;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        relay = CountingTcpProxy.start(vertx, "127.0.0.1", env.s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        s3Store = S3ObjectStore.create(vertx, S3TestSupport.config(env.s3, ApiTestServer.BUCKET,
            URI.create("http://127.0.0.1:" + relay.port())));
        catalog = new InMemoryCatalog();
        registry = new SimpleMeterRegistry();
        HttpApiVerticle api = new HttpApiVerticle(ApiConfig.of("127.0.0.1", 0), catalog, s3Store, null,
            HttpApiVerticle.defaultReadiness(ApiConfig.defaults(), catalog, s3Store), registry);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        port = api.actualPort();
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        s3Store.close();
        relay.close();
        env.close();
    }

    private static double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theListenerGetsEveryByteWhileTheS3ConnectionIsCutTwice() {
        Song song = env.putSong(catalog, s3Store, "Cut/Twice/01 six megabytes.flac", CONTENT);
        double midwayBefore = counter("s3music.stream.errors", "reason", "s3_midway");
        relay.cutAfter(1024 * 1024, 2);

        var r = client.request(HttpMethod.GET, port, "127.0.0.1", "/api/songs/" + song.id() + "/stream").send().await();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Content-Length")).isEqualTo(String.valueOf(CONTENT.length));
        assertThat(r.body().getBytes()).isEqualTo(CONTENT);
        assertThat(relay.cuts()).isEqualTo(2);
        assertThat(counter("s3music.stream.resumes")).isEqualTo(2);
        assertThat(counter("s3music.stream.errors", "reason", "s3_midway")).isEqualTo(midwayBefore);
    }

    @Test
    void aForgedCatalogEtagIsNeverAHeaderAndTheSongStillPlays() {
        byte[] content = S3TestSupport.randomBytes(50_000, 32);
        Song real = env.putSong(catalog, s3Store, "Forged/Etag/01 song.mp3", content);
        Song forged = ApiTestServer.song(real.key(), real.size(), "abc\r\nX-Evil: injected", real.lastModified());
        catalog.upsert(forged).await();
        String path = "/api/songs/" + forged.id() + "/stream";

        var head = client.request(HttpMethod.HEAD, port, "127.0.0.1", path).send().await();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.getHeader("X-Evil")).isNull();
        assertThat(head.getHeader("ETag")).doesNotContain("\r", "\n", "X-Evil").startsWith("\"").endsWith("\"");
        assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(content.length));

        var get = client.request(HttpMethod.GET, port, "127.0.0.1", path).send().await();
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.getHeader("X-Evil")).isNull();
        assertThat(get.body().getBytes()).isEqualTo(content);
    }
}
