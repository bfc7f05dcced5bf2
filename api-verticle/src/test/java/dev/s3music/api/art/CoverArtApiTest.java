package dev.s3music.api.art;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.CatalogWriter;
import dev.s3music.model.port.EmbeddedPictures;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/albums/{id}/cover} against S3Proxy through the real S3 adapter: each source (folder image, embedded
 * picture, Discogs image on a loopback HTTP server), the size steps, the S3 cache (a hit resizes nothing, also on
 * another instance), ETag and 304, and bad input.
 */
@ExtendWith(VertxExtension.class)
class CoverArtApiTest {

    static final String BUCKET = "music";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport uploads;
    static S3ObjectStore store;
    static InMemoryCatalog catalog;
    static WorkerExecutor worker;
    static HttpServer imageHost;
    static final Map<String, Metadata> METADATA = new ConcurrentHashMap<>();
    static final AtomicInteger embeddedReads = new AtomicInteger();
    static final Map<String, Buffer> EMBEDDED = new ConcurrentHashMap<>();
    static CoverArtService covers;
    static HttpApiVerticle api;
    static HttpClient http;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        uploads = new S3TestSupport(s3, BUCKET);
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        catalog = new InMemoryCatalog();
        worker = vertx.createSharedWorkerExecutor("cover-art-test", 2);
        imageHost = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/discogs.jpg")) {
                req.response().putHeader("Content-Type", "image/jpeg").end(Buffer.buffer(jpeg(600, 600, Color.BLUE)));
            } else {
                req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        covers = service(vertx);
        api = deploy(vertx, covers);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static CoverArtService service(Vertx vertx) {
        return service(vertx, store, Duration.ZERO);
    }

    static CoverArtService service(Vertx vertx, dev.s3music.model.port.ObjectStore objects, Duration sourceTtl) {
        EmbeddedPictures pictures = (key, format, size) -> {
            embeddedReads.incrementAndGet();
            return Future.succeededFuture(EMBEDDED.get(key));
        };
        MetadataReader metadata = ref -> Future.succeededFuture(METADATA.getOrDefault(ref.id(), Metadata.unavailable()));
        RemoteImages remote = RemoteImages.http(vertx, uri -> "127.0.0.1".equals(uri.getHost()));
        return new CoverArtService(catalog, objects, store.blobs(".s3music/art/"), pictures, metadata, remote, worker,
            Duration.ofSeconds(2), sourceTtl);
    }

    static HttpApiVerticle deploy(Vertx vertx, CoverArtService service) throws Exception {
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog,
            MetadataReader.unavailable(), new StreamService(catalog, store, registry), readiness, registry));
        areas.add(new ArtArea(service));
        HttpApiVerticle v = new HttpApiVerticle(config, readiness, areas);
        vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        worker.close();
        store.close();
        uploads.close();
        s3.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    static byte[] jpeg(int w, int h, Color color) {
        return encode(w, h, color, "jpg", BufferedImage.TYPE_INT_RGB);
    }

    static byte[] encode(int w, int h, Color color, String format, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(img, format, out)).isTrue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(img).as("a decodable image").isNotNull();
        return img;
    }

    /** An album with one song; the song says it has an embedded picture when {@code embedded}. */
    static String album(String artist, String album, boolean embedded) {
        String key = artist + "/" + album + "/01 Song.mp3";
        uploads.put(key, new byte[100]);
        var info = store.head(key).await();
        Song song = Song.of(SongKey.parse(key).orElseThrow(), info.size(), info.etag(), info.lastModified())
            .withTags(new SongTags("Song", null, null, 1, null, null, null, 3, embedded));
        catalog.upsert(song).await();
        return Ids.album(artist, album);
    }

    static void folderImage(String key, byte[] image) {
        uploads.put(key, image);
        catalog.upsertArt(key, CatalogWriter.Guard.none()).await();
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return call("GET", path, headers);
    }

    static HttpResponse<byte[]> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort() + path))
            .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static List<String> cached(String albumId) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            var page = store.list(token, 1000).await();
            page.objects().stream().map(o -> o.key()).filter(k -> k.startsWith(".s3music/art/" + albumId + "/"))
                .forEach(keys::add);
            token = page.nextToken();
        } while (token != null);
        return keys;
    }

    // --- tests -----------------------------------------------------------------------------------------------------

    @Test
    void servesTheFolderImageResizedToTheNextStepAndKeepsItInS3() throws Exception {
        String id = album("Folder Band", "Wide", true);
        folderImage("Folder Band/Wide/cover.jpg", jpeg(2000, 1500, Color.RED));
        long before = covers.resizeCount();

        HttpResponse<byte[]> r = get("/api/albums/" + id + "/cover?size=300");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("image/jpeg");
        BufferedImage img = decode(r.body());
        assertThat(img.getWidth()).isEqualTo(512);
        assertThat(img.getHeight()).isEqualTo(384);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{40}\"");
        assertThat(r.headers().firstValue("Cache-Control")).contains(CoverArtService.SHORT_CACHE);
        assertThat(covers.resizeCount() - before).isEqualTo(1);
        String etagOfSource = store.head("Folder Band/Wide/cover.jpg").await().etag();
        assertThat(cached(id)).containsExactly(".s3music/art/" + id + "/512-f" + etagOfSource + ".jpg");
        // the embedded picture is never read when the folder has an image
        assertThat(embeddedReads.get()).isZero();

        // the same step again (another size rounding to it): the cached bytes, no resize
        HttpResponse<byte[]> again = get("/api/albums/" + id + "/cover?size=512");
        assertThat(again.body()).isEqualTo(r.body());
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(covers.resizeCount() - before).isEqualTo(1);
    }

    @Test
    void aCacheHitResizesNothingOnAnotherInstanceEither(Vertx vertx) throws Exception {
        String id = album("Cache Band", "Shared", false);
        folderImage("Cache Band/Shared/folder.png", encode(900, 900, Color.GREEN, "png", BufferedImage.TYPE_INT_ARGB));
        byte[] first = get("/api/albums/" + id + "/cover?size=128").body();
        assertThat(decode(first).getWidth()).isEqualTo(128);

        CoverArtService other = service(vertx);
        CoverArtService.Cover c = other.cover(id, 100).await(20, TimeUnit.SECONDS);
        assertThat(c.jpeg().getBytes()).isEqualTo(first);
        assertThat(other.resizeCount()).isZero();
    }

    @Test
    void sizesAreStepsAndNeverEnlargeAnImage() throws Exception {
        String id = album("Size Band", "Steps", false);
        folderImage("Size Band/Steps/cover.jpg", jpeg(1600, 1600, Color.ORANGE));
        assertThat(decode(get("/api/albums/" + id + "/cover?size=1").body()).getWidth()).isEqualTo(64);
        assertThat(decode(get("/api/albums/" + id + "/cover?size=64").body()).getWidth()).isEqualTo(64);
        assertThat(decode(get("/api/albums/" + id + "/cover?size=65").body()).getWidth()).isEqualTo(128);
        assertThat(decode(get("/api/albums/" + id + "/cover").body()).getWidth()).isEqualTo(CoverArtService.DEFAULT_SIZE);
        assertThat(decode(get("/api/albums/" + id + "/cover?size=4096").body()).getWidth()).isEqualTo(1200);
        assertThat(cached(id)).hasSize(4); // 64, 128, 512, 1200

        String small = album("Size Band", "Small", false);
        folderImage("Size Band/Small/cover.jpg", jpeg(100, 80, Color.ORANGE));
        BufferedImage img = decode(get("/api/albums/" + small + "/cover?size=800").body());
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(80);
    }

    @Test
    void ifNoneMatchAnswers304WithoutResizingAndAVersionedUrlIsImmutable() throws Exception {
        String id = album("Etag Band", "Tags", false);
        folderImage("Etag Band/Tags/cover.jpg", jpeg(700, 700, Color.CYAN));
        HttpResponse<byte[]> r = get("/api/albums/" + id + "/cover?size=256");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        long resizes = covers.resizeCount();

        HttpResponse<byte[]> notModified = get("/api/albums/" + id + "/cover?size=256", "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).contains(etag);
        assertThat(get("/api/albums/" + id + "/cover?size=256", "If-None-Match", "\"other\", " + etag).statusCode())
            .isEqualTo(304);
        // another size is another representation
        assertThat(get("/api/albums/" + id + "/cover?size=64", "If-None-Match", etag).statusCode()).isEqualTo(200);
        assertThat(covers.resizeCount() - resizes).isEqualTo(1);

        String version = etag.substring(1, etag.length() - 1);
        assertThat(get("/api/albums/" + id + "/cover?size=256&v=" + version).headers().firstValue("Cache-Control"))
            .contains(CoverArtService.LONG_CACHE);

        HttpResponse<byte[]> head = call("HEAD", "/api/albums/" + id + "/cover?size=256");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("ETag")).contains(etag);
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(r.body().length));

        // a new folder image is a new ETag and a new cached file
        folderImage("Etag Band/Tags/cover.jpg", jpeg(700, 700, Color.MAGENTA));
        HttpResponse<byte[]> changed = get("/api/albums/" + id + "/cover?size=256", "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    void aRecentCoverAndItsSourceAreAnsweredFromMemoryWithoutS3(Vertx vertx) throws Exception {
        String id = album("Memory Band", "Recall", false);
        folderImage("Memory Band/Recall/cover.jpg", jpeg(400, 400, Color.YELLOW));
        AtomicInteger heads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        dev.s3music.model.port.ObjectStore counting = new dev.s3music.model.port.ObjectStore() {
            public String bucket() {
                return store.bucket();
            }

            public Future<dev.s3music.model.ObjectInfo> head(String key) {
                heads.incrementAndGet();
                return store.head(key);
            }

            public Future<dev.s3music.model.port.ObjectBody> open(String key, dev.s3music.model.ByteRange range, String ifMatch) {
                return store.open(key, range, ifMatch);
            }

            public Future<Buffer> read(String key, dev.s3music.model.ByteRange range) {
                reads.incrementAndGet();
                return store.read(key, range);
            }

            public Future<dev.s3music.model.ObjectListing> list(String token, int maxKeys) {
                return store.list(token, maxKeys);
            }

            public Future<Void> check() {
                return store.check();
            }
        };
        CoverArtService remembering = service(vertx, counting, CoverArtService.SOURCE_TTL);
        CoverArtService.Cover first = remembering.cover(id, 256).await(20, TimeUnit.SECONDS);
        assertThat(heads.get()).isEqualTo(1);
        assertThat(reads.get()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            CoverArtService.Cover again = remembering.cover(id, 200).await(20, TimeUnit.SECONDS);
            assertThat(again.etag()).isEqualTo(first.etag());
            assertThat(again.jpeg().getBytes()).isEqualTo(first.jpeg().getBytes());
        }
        assertThat(heads.get()).as("the source remembered").isEqualTo(1);
        assertThat(reads.get()).isEqualTo(1);
        assertThat(remembering.resizeCount()).isEqualTo(1);

        // a corrupt image is read once, then refused from memory for a while
        String bad = album("Memory Band", "Corrupt", false);
        folderImage("Memory Band/Corrupt/cover.jpg", S3TestSupport.randomBytes(20_000, 8));
        for (int i = 0; i < 3; i++) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> remembering.cover(bad, 64).await(20, TimeUnit.SECONDS));
            assertThat(t).isInstanceOf(io.vertx.ext.web.handler.HttpException.class);
        }
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void withoutAFolderImageTheEmbeddedPictureOfTheFirstSongThatHasOneIsUsed() throws Exception {
        String key = "Embedded Band/Inside/01 Song.mp3";
        String id = album("Embedded Band", "Inside", true);
        EMBEDDED.put(key, Buffer.buffer(encode(300, 200, Color.PINK, "png", BufferedImage.TYPE_INT_RGB)));
        int reads = embeddedReads.get();
        HttpResponse<byte[]> r = get("/api/albums/" + id + "/cover?size=128");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        BufferedImage img = decode(r.body());
        assertThat(img.getWidth()).isEqualTo(128);
        assertThat(img.getHeight()).isEqualTo(85);
        assertThat(embeddedReads.get() - reads).isEqualTo(1);
        // cached: the song is not read again
        get("/api/albums/" + id + "/cover?size=128");
        assertThat(embeddedReads.get() - reads).isEqualTo(1);
        assertThat(cached(id)).singleElement().asString().startsWith(".s3music/art/" + id + "/128-e");
    }

    @Test
    void withoutFolderOrEmbeddedArtTheDiscogsImageIsUsedAndAnUnreachableOneIs404() throws Exception {
        String id = album("Discogs Band", "Remote", false);
        METADATA.put(id, new Metadata(Metadata.Status.READY, new JsonObject().put("images", new JsonArray()
            .add(new JsonObject().put("type", "secondary").put("uri", "http://127.0.0.1:" + imageHost.actualPort() + "/missing.jpg"))
            .add(new JsonObject().put("type", "primary").put("uri", "http://127.0.0.1:" + imageHost.actualPort() + "/discogs.jpg")))));
        HttpResponse<byte[]> r = get("/api/albums/" + id + "/cover?size=256");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(decode(r.body()).getWidth()).isEqualTo(256);

        String gone = album("Discogs Band", "Gone", false);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        METADATA.put(gone, new Metadata(Metadata.Status.READY, new JsonObject().put("images", new JsonArray()
            .add(new JsonObject().put("type", "primary").put("uri", "http://127.0.0.1:" + closedPort + "/x.jpg")))));
        assertThat(get("/api/albums/" + gone + "/cover").statusCode()).isEqualTo(404);

        String elsewhere = album("Discogs Band", "Elsewhere", false);
        METADATA.put(elsewhere, new Metadata(Metadata.Status.READY, new JsonObject().put("images", new JsonArray()
            .add(new JsonObject().put("type", "primary").put("uri", "http://169.254.169.254/latest/meta-data")))));
        assertThat(get("/api/albums/" + elsewhere + "/cover").statusCode()).isEqualTo(404);

        String pending = album("Discogs Band", "Pending", false);
        METADATA.put(pending, new Metadata(Metadata.Status.PENDING, null));
        assertThat(get("/api/albums/" + pending + "/cover").statusCode()).isEqualTo(404);
    }

    @Test
    void badInputIsAClearClientError() throws Exception {
        String id = album("Bad Band", "Broken", false);
        assertThat(get("/api/albums/!!/cover").statusCode()).isEqualTo(400);
        assertThat(get("/api/albums/" + id + "A/cover").statusCode()).isIn(400, 404);
        assertThat(get("/api/albums/" + Ids.artist("Bad Band") + "/cover").statusCode()).isEqualTo(404);
        assertThat(get("/api/albums/" + Ids.album("Nobody", "Nothing") + "/cover").statusCode()).isEqualTo(404);
        for (String size : List.of("0", "-1", "4097", "abc", "1.5", "99999999999", "64&size=128")) {
            HttpResponse<byte[]> r = get("/api/albums/" + id + "/cover?size=" + size);
            assertThat(r.statusCode()).as(size).isEqualTo(400);
            assertThat(new JsonObject(Buffer.buffer(r.body())).getString("message")).contains("size");
        }
        // no art at all
        HttpResponse<byte[]> none = get("/api/albums/" + id + "/cover");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.headers().firstValue("ETag")).isEmpty();

        // a corrupt image: 422 with a message, never a 500; nothing is cached
        folderImage("Bad Band/Broken/cover.jpg", S3TestSupport.randomBytes(5000, 3));
        HttpResponse<byte[]> corrupt = get("/api/albums/" + id + "/cover");
        assertThat(corrupt.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(Buffer.buffer(corrupt.body())).getString("message")).contains("cannot be used");
        byte[] truncated = java.util.Arrays.copyOf(jpeg(800, 800, Color.RED), 600);
        folderImage("Bad Band/Broken/cover.jpg", truncated);
        assertThat(get("/api/albums/" + id + "/cover").statusCode()).isIn(200, 422); // ImageIO may decode a prefix
        assertThat(cached(id).size()).isLessThanOrEqualTo(1);
    }

    @Test
    void aDecompressionBombIsRefusedBeforeDecoding() {
        // a PNG that claims 20000 x 20000 pixels (400 M): its header is read, no pixel allocated
        byte[] png = encode(1, 1, Color.BLACK, "png", BufferedImage.TYPE_INT_RGB);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(20_000).putInt(20_000);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
            () -> CoverArtService.resize(Buffer.buffer(png), 512, "bomb")))
            .isInstanceOfSatisfying(io.vertx.ext.web.handler.HttpException.class,
                e -> assertThat(e.getPayload()).contains("pixels"));
    }

    @Test
    void stepsRoundUpAndRefuseOutOfRange() {
        assertThat(CoverArtService.step(null)).isEqualTo(512);
        assertThat(CoverArtService.step(1)).isEqualTo(64);
        assertThat(CoverArtService.step(129)).isEqualTo(256);
        assertThat(CoverArtService.step(1201)).isEqualTo(1200);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CoverArtService.step(0)))
            .isInstanceOf(dev.s3music.model.DomainException.class);
    }
}
