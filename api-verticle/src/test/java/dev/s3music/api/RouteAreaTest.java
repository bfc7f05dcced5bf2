package dev.s3music.api;

import dev.s3music.model.DomainException;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seam for HTTP features: an area added to the verticle's list is mounted with its own error rendering over the
 * shared status mapping, reuses the stream service from its own route, and shows up in the one route table.
 */
@ExtendWith(VertxExtension.class)
class RouteAreaTest {

    private static final byte[] CONTENT = S3TestSupport.randomBytes(50_000, 21);
    private static final String KEY = "Nina Simone/Pastel Blues/01 Be My Husband.mp3";

    @TempDir
    static Path base;
    static ApiTestServer env;
    static S3ObjectStore store;
    static InMemoryCatalog catalog;
    static Song song;
    static HttpApiVerticle api;
    static WebClient client;

    /** A stand-in for the next areas (share links): its own error format, songs served by the stream service. */
    static final class ShareArea implements RouteArea {
        private final StreamService streams;
        private final Map<String, SongKey> shares;

        ShareArea(StreamService streams, Map<String, SongKey> shares) {
            this.streams = streams;
            this.shares = shares;
        }

        @Override
        public String name() {
            return "shares";
        }

        @Override
        public String mountPoint() {
            return "/s";
        }

        @Override
        public List<RouteRule> routes() {
            return List.of(RouteRule.of(Access.PUBLIC, "/s/{token}", HttpMethod.GET, HttpMethod.HEAD));
        }

        @Override
        public Future<Router> router(Vertx vertx) {
            Router r = Router.router(vertx);
            r.route("/s/:token").handler(rc -> {
                SongKey key = shares.get(rc.pathParam("token"));
                if (key == null) {
                    rc.fail(DomainException.notFound("share"));
                } else {
                    streams.stream(rc, key);
                }
            });
            return Future.succeededFuture(r);
        }

        @Override
        public ErrorRenderer errorRenderer() {
            return (rc, e) -> rc.response().setStatusCode(e.status()).putHeader("Content-Type", "text/plain")
                .end("share error " + e.status() + " " + e.reason());
        }
    }

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        env = new ApiTestServer(base);
        store = env.store(vertx);
        catalog = new InMemoryCatalog();
        song = env.putSong(catalog, store, KEY, CONTENT);
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamService streams = new StreamService(catalog, store, registry);
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), streams, readiness, registry));
        // the one line of wiring a new area needs
        areas.add(new ShareArea(streams,
            Map.of("t1", SongKey.parse(KEY).orElseThrow(), "gone", SongKey.parse("No/Such/song.mp3").orElseThrow())));
        api = new HttpApiVerticle(config, readiness, areas);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        env.close();
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String uri, String range) throws Exception {
        var req = client.request(method, api.actualPort(), "127.0.0.1", uri);
        if (range != null) {
            req.putHeader("Range", range);
        }
        return req.send().await(20, TimeUnit.SECONDS);
    }

    @Test
    void aNewAreaServesSongsThroughTheStreamServiceWithRangesAndHead() throws Exception {
        HttpResponse<Buffer> ranged = send(HttpMethod.GET, "/s/t1", "bytes=100-1099");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.getHeader("Content-Range")).isEqualTo("bytes 100-1099/" + CONTENT.length);
        assertThat(ranged.bodyAsBuffer().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(CONTENT, 100, 1100));
        HttpResponse<Buffer> whole = send(HttpMethod.GET, "/s/t1", null);
        assertThat(whole.bodyAsBuffer().getBytes()).isEqualTo(CONTENT);
        HttpResponse<Buffer> head = send(HttpMethod.HEAD, "/s/t1", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(CONTENT.length));
        assertThat(head.getHeader("ETag")).isEqualTo(song.httpEtag());
    }

    @Test
    void failuresUnderAnAreaAreRenderedByItsRendererWithTheSharedStatus() throws Exception {
        HttpResponse<Buffer> unknownShare = send(HttpMethod.GET, "/s/nope", null);
        assertThat(unknownShare.statusCode()).isEqualTo(404);
        assertThat(unknownShare.bodyAsString()).isEqualTo("share error 404 not_found");
        // the stream service fails, the area renders: a song the catalog does not know
        HttpResponse<Buffer> gone = send(HttpMethod.GET, "/s/gone", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.bodyAsString()).isEqualTo("share error 404 not_found");
        // an unknown path under the area's mount point is the area's too
        HttpResponse<Buffer> deeper = send(HttpMethod.GET, "/s/a/b", null);
        assertThat(deeper.statusCode()).isEqualTo(404);
        assertThat(deeper.bodyAsString()).isEqualTo("share error 404 not_found");
        // other paths keep the JSON of /api
        HttpResponse<Buffer> api404 = send(HttpMethod.GET, "/api/nothing/here", null);
        assertThat(api404.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(api404.bodyAsString()).getString("error")).isEqualTo("not_found");
        HttpResponse<Buffer> elsewhere = send(HttpMethod.GET, "/sx", null);
        assertThat(elsewhere.getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void theRouteTableDeclaresEveryOperationOfTheContractWithItsAccess(Vertx vertx) throws Exception {
        RouteTable table = api.routeTable();
        OpenAPIContract contract = OpenAPIContract.from(vertx, ApiArea.CONTRACT).await(20, TimeUnit.SECONDS);
        assertThat(contract.operations()).isNotEmpty();
        for (Operation op : contract.operations()) {
            if (op.getExtensions().get("x-area") != null) {
                // served by the auth and share-link areas, not mounted here: auth.AuthApiTest checks those with them
                continue;
            }
            String path = op.getOpenAPIPath().replaceAll("\\{[^}]+}", "x");
            assertThat(table.find(op.getHttpMethod(), path)).as("%s %s", op.getHttpMethod(), path).isPresent();
        }
        assertThat(table.find(HttpMethod.GET, "/health/ready").orElseThrow().access()).isEqualTo(Access.PROBE);
        assertThat(table.find(HttpMethod.GET, "/metrics").orElseThrow().access()).isEqualTo(Access.PROBE);
        assertThat(table.find(HttpMethod.POST, "/api/admin/rescan").orElseThrow().access()).isEqualTo(Access.ADMIN);
        assertThat(table.find(HttpMethod.HEAD, "/api/songs/x/stream").orElseThrow().access()).isEqualTo(Access.USER);
        assertThat(table.isPublic(HttpMethod.GET, "/s/t1")).isTrue();
        assertThat(table.isPublic(HttpMethod.GET, "/api/artists")).isFalse();
        assertThat(table.isPublic(HttpMethod.DELETE, "/api/songs/x")).as("undeclared").isFalse();
        assertThat(table.isProbe(HttpMethod.GET, "/s/t1")).isFalse();
    }

    @Test
    void pathPatternsMatchOneSegmentPerParameterAndAnyRestForAStar() {
        assertThat(RouteRule.pathMatches("/api/songs/{id}/stream", "/api/songs/abc/stream")).isTrue();
        assertThat(RouteRule.pathMatches("/api/songs/{id}/stream", "/api/songs//stream")).isFalse();
        assertThat(RouteRule.pathMatches("/api/songs/{id}/stream", "/api/songs/a/b/stream")).isFalse();
        assertThat(RouteRule.pathMatches("/api/songs/{id}", "/api/songs/abc/stream")).isFalse();
        assertThat(RouteRule.pathMatches("/health/*", "/health/live")).isTrue();
        assertThat(RouteRule.pathMatches("/health/*", "/health/")).isTrue();
        assertThat(RouteRule.pathMatches("/health/*", "/healthz")).isFalse();
        assertThat(RouteRule.pathMatches("/metrics", "/metrics/x")).isFalse();
        assertThat(RouteTable.under("/api/x", "/api")).isTrue();
        assertThat(RouteTable.under("/apix", "/api")).isFalse();
        assertThat(RouteTable.under("/anything", "/")).isTrue();
    }
}
