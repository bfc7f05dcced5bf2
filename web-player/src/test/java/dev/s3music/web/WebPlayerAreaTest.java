package dev.s3music.web;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The player's files as the API serves them: index.html for the app's paths (revalidated), the modules under one
 * content-hashed folder (immutable), gzip when asked, 304 on a matching ETag, and index.html with 404 for an unknown
 * page while other clients get JSON.
 */
class WebPlayerAreaTest {

    private static Vertx vertx;
    private static HttpApiVerticle api;
    private static URI base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        api = new HttpApiVerticle(ApiConfig.of("127.0.0.1", 0), new Readiness(Duration.ofSeconds(1), List.of()),
            List.of(new WebPlayerArea(List.of("http://127.0.0.1:9000"))));
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + api.actualPort());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void listsEveryFileOfItsAssetsFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/dev/s3music/web/assets"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(WebAssets.FILES);
        }
    }

    @Test
    void appPathsAnswerIndexHtmlNamingTheHashedFolderWithoutLongCaching() throws Exception {
        for (String path : List.of("/", "/artists", "/albums/abc", "/admin/upload", "/search")) {
            HttpResponse<byte[]> r = get(path, "Accept-Encoding", "gzip, br");
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("connect-src 'self' http://127.0.0.1:9000");
            String html = gunzip(r.body());
            assertThat(html).contains("<script type=\"module\" src=\"/assets/").doesNotContain("%ASSETS%");
        }
    }

    @Test
    void assetsAreImmutableGzippedAndRevalidatedByEtag() throws Exception {
        String html = new String(get("/").body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("src=\"(/assets/[0-9a-f]{16}/app\\.js)\"").matcher(html);
        assertThat(m.find()).isTrue();
        String app = m.group(1);

        HttpResponse<byte[]> plain = get(app);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(plain.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("import ");

        HttpResponse<byte[]> gz = get(app, "Accept-Encoding", "gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gz.body().length).isLessThan(plain.body().length);
        assertThat(gunzip(gz.body())).isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
        assertThat(get(app, "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding")).isEmpty();

        String etag = plain.headers().firstValue("ETag").orElseThrow();
        assertThat(get(app, "If-None-Match", etag).statusCode()).isEqualTo(304);
        // a sibling module resolves in the same folder (relative imports)
        assertThat(get(app.replace("app.js", "player.js")).statusCode()).isEqualTo(200);
        // another build's folder is not ours
        assertThat(get("/assets/0000000000000000/app.js").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownPageGetsTheAppWith404AndOtherClientsJson() throws Exception {
        HttpResponse<byte[]> page = get("/no/such/page", "Accept", "text/html,application/xhtml+xml");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<div id=\"app\"");

        HttpResponse<byte[]> json = get("/no/such/page", "Accept", "application/json");
        assertThat(json.statusCode()).isEqualTo(404);
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"status\":404");
    }

    @Test
    void gzipNegotiationHonoursQZero() {
        assertThat(WebPlayerArea.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(WebPlayerArea.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
        assertThat(WebPlayerArea.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(WebPlayerArea.acceptsGzip("identity")).isFalse();
        assertThat(WebPlayerArea.acceptsGzip(null)).isFalse();
        assertThat(WebPlayerArea.etagMatches("\"a\", W/\"b\"", "\"b\"")).isTrue();
        assertThat(WebPlayerArea.etagMatches("\"a\"", "\"b\"")).isFalse();
    }
}
