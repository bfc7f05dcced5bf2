package dev.s3music.api.art;

import dev.s3music.model.Album;
import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.Song;
import dev.s3music.model.port.BlobStore;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.EmbeddedPictures;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.coobird.thumbnailator.Thumbnails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An album's cover, resized and cached: the one implementation behind {@code GET /api/albums/{id}/cover} and any
 * other area that serves covers (Subsonic's {@code getCoverArt}).
 *
 * <pre>
 *  serve(rc, albumId, size) ── id not an album id ──> 400 / 404;  size outside 1..4096 ──> 400
 *    size ──> the next step of {@link #SIZES} (at most 1200): the cache holds a few sizes per album, never more
 *    source, first found:  1. the folder image (CatalogReader.albumArt, HEAD for its ETag)
 *                          2. the embedded picture of the album's first song whose tags say it has one
 *                          3. the Discogs image of the album's metadata (when ready; fetched by {@link RemoteImages})
 *                          none ──> 404
 *    ETag = hash(source, source ETag, step) ── If-None-Match matches ──> 304 (no image read)
 *    BlobStore ".s3music/art/" + albumId/step-sourceTag.jpg ── hit ──> 200
 *        miss ──> read the source (bounded) ──> decode + resize on the worker pool (Thumbnailator, JPEG)
 *             ──> put in the cache (a failed put is logged, the answer still goes out) ──> 200
 *        undecodable image ──> 422
 * </pre>
 * Concurrent misses of one cache key share one resize. In memory, per process: each album's source for
 * {@link #SOURCE_TTL} (a 304 then costs no S3 request), images that failed to decode for as long, and the recent
 * covers up to {@link #MEMORY_BYTES}. Answers are {@code private} (covers are behind sign-in),
 * cached a day and revalidated by ETag; with {@code ?v=<the ETag, unquoted>} in the URL, a year and immutable.
 */
public final class CoverArtService {

    private static final Logger LOG = LoggerFactory.getLogger(CoverArtService.class);

    /** The sizes covers are made in (longest side, px); a request is rounded up to the next one. */
    public static final List<Integer> SIZES = List.of(64, 128, 256, 512, 800, 1200);
    /** Requested sizes above this are refused (400); between the largest step and this, the largest step. */
    public static final int MAX_REQUESTED_SIZE = 4096;
    /** Without {@code size}. */
    public static final int DEFAULT_SIZE = 512;
    /** A cover source larger than this is not read (a folder image of 16 MB is not a cover). */
    public static final long MAX_SOURCE_BYTES = 16L * 1024 * 1024;
    /** Decoding allocates width x height x 4 bytes: refuse images over this many pixels (decompression bombs). */
    public static final long MAX_PIXELS = 40_000_000L;
    static final String LONG_CACHE = "private, max-age=31536000, immutable";
    static final String SHORT_CACHE = "private, max-age=86400";
    private static final float JPEG_QUALITY = 0.85f;
    /** Memory for recent resized covers, per process (about 1,000 covers at 256 px). */
    static final long MEMORY_BYTES = 32L * 1024 * 1024;
    static final Duration SOURCE_TTL = Duration.ofSeconds(60);

    private final CatalogReader catalog;
    private final ObjectStore store;
    private final BlobStore cache;
    private final EmbeddedPictures pictures;
    private final MetadataReader metadata;
    private final RemoteImages remote;
    private final WorkerExecutor worker;
    private final Duration metadataTimeout;
    private final Map<String, Future<Buffer>> inFlight = new ConcurrentHashMap<>();
    /** Resized covers by cache key, in front of S3: a grid of covers costs no S3 request when seen recently. */
    private final Cache<String, Buffer> recent = Caffeine.newBuilder()
        .maximumWeight(MEMORY_BYTES).weigher((String k, Buffer b) -> b.length() + k.length()).build();
    /**
     * Each album's source, briefly: a 304 or a memory hit then needs no S3 request. Short, so a new folder image
     * shows within {@link #SOURCE_TTL} on every instance.
     */
    private final Cache<String, Source> sources;
    /** Images that could not be used, briefly: a corrupt 16 MB image is not read again on every request. */
    private final Cache<String, Throwable> unusable;
    private final AtomicLong resized = new AtomicLong();

    /**
     * @param cache    where resized covers are kept ({@code store.blobs(".s3music/art/")})
     * @param pictures embedded pictures ({@link EmbeddedPictures#NONE} to skip that source)
     * @param metadata the Discogs metadata ({@link MetadataReader#unavailable()} to skip that source)
     * @param remote   fetches Discogs image URLs ({@link RemoteImages#NONE} to skip)
     * @param worker   a named, bounded worker pool for decoding and resizing (never the event loop)
     */
    public CoverArtService(CatalogReader catalog, ObjectStore store, BlobStore cache, EmbeddedPictures pictures,
                           MetadataReader metadata, RemoteImages remote, WorkerExecutor worker,
                           Duration metadataTimeout) {
        this(catalog, store, cache, pictures, metadata, remote, worker, metadataTimeout, SOURCE_TTL);
    }

    /** @param sourceTtl how long an album's source is remembered ({@link #SOURCE_TTL}; zero: never) */
    public CoverArtService(CatalogReader catalog, ObjectStore store, BlobStore cache, EmbeddedPictures pictures,
                           MetadataReader metadata, RemoteImages remote, WorkerExecutor worker,
                           Duration metadataTimeout, Duration sourceTtl) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.pictures = pictures == null ? EmbeddedPictures.NONE : pictures;
        this.metadata = metadata == null ? MetadataReader.unavailable() : metadata;
        this.remote = remote == null ? RemoteImages.NONE : remote;
        this.worker = Objects.requireNonNull(worker, "worker");
        this.metadataTimeout = Objects.requireNonNull(metadataTimeout, "metadataTimeout");
        this.sources = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Objects.requireNonNull(sourceTtl, "sourceTtl")).build();
        this.unusable = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(sourceTtl).build();
    }

    /** A resized cover: JPEG bytes and the strong ETag (quoted). */
    public record Cover(Buffer jpeg, String etag) {
    }

    /**
     * Answers the album's cover at {@code size} (null: {@link #DEFAULT_SIZE}) on {@code rc}: 200 with the JPEG (no
     * body for HEAD), 304 when {@code If-None-Match} holds its ETag, or fails {@code rc} with a
     * {@link DomainException} (INVALID: bad id or size; NOT_FOUND: no album or no art) or an {@link HttpException}
     * 422 (an image that cannot be decoded).
     */
    public void serve(RoutingContext rc, String albumId, Integer size) {
        int step;
        try {
            step = step(size);
            checkAlbumId(albumId);
        } catch (DomainException e) {
            rc.fail(e);
            return;
        }
        source(albumId).compose(src -> {
            String etag = etag(albumId, src, step);
            HttpServerResponse response = rc.response();
            response.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, etag.equals("\"" + rc.queryParams().get("v") + "\"") ? LONG_CACHE : SHORT_CACHE);
            if (noneMatch(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
                return response.setStatusCode(304).end();
            }
            return resized(albumId, src, step).compose(jpeg -> {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "image/jpeg")
                    .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(jpeg.length()));
                return rc.request().method() == HttpMethod.HEAD ? response.end() : response.end(jpeg);
            });
        }).onFailure(t -> {
            if (!rc.response().headWritten()) {
                rc.response().headers().remove(HttpHeaders.ETAG).remove(HttpHeaders.CACHE_CONTROL);
                rc.fail(t);
            }
        });
    }

    /** The album's cover at {@code size} (null: the default), for callers that write their own answer. */
    public Future<Cover> cover(String albumId, Integer size) {
        int step;
        try {
            step = step(size);
            checkAlbumId(albumId);
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return source(albumId).compose(src -> resized(albumId, src, step).map(b -> new Cover(b, etag(albumId, src, step))));
    }

    /** Resizes done since start (cache misses that decoded an image). */
    public long resizeCount() {
        return resized.get();
    }

    /** The step a requested size is served at; INVALID outside 1..{@link #MAX_REQUESTED_SIZE}. */
    public static int step(Integer requested) {
        if (requested == null) {
            return DEFAULT_SIZE;
        }
        if (requested < 1 || requested > MAX_REQUESTED_SIZE) {
            throw DomainException.invalid("size must be 1.." + MAX_REQUESTED_SIZE + ": " + requested);
        }
        for (int s : SIZES) {
            if (requested <= s) {
                return s;
            }
        }
        return SIZES.get(SIZES.size() - 1);
    }

    private static void checkAlbumId(String albumId) {
        Optional<String> decoded = Ids.decode(albumId);
        if (decoded.isEmpty()) {
            throw DomainException.invalid("not an album id: " + (albumId == null ? "none" : "malformed"));
        }
        if (decoded.get().indexOf('/') < 0 || decoded.get().equals("/")) {
            throw DomainException.notFound("album");
        }
    }

    // ---- the source ---------------------------------------------------------------------------------------------

    /** Where the cover comes from: {@code tag} changes whenever its bytes do; {@code load} reads them (bounded). */
    private record Source(String kind, String id, String tag, Supplier<Future<Buffer>> load) {
    }

    private Future<Source> source(String albumId) {
        Source known = sources.getIfPresent(albumId);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return findSource(albumId).onSuccess(src -> sources.put(albumId, src));
    }

    private Future<Source> findSource(String albumId) {
        return catalog.albumArt(albumId).compose(art -> art.isPresent()
            ? folderImage(art.get()).recover(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND)
                ? Future.succeededFuture(null) : Future.failedFuture(t)) // the catalog is behind: gone since
            : Future.succeededFuture(null))
            .compose(folder -> folder != null ? Future.succeededFuture(folder) : catalog.album(albumId).compose(album -> {
                if (album.isEmpty()) {
                    return Future.failedFuture(DomainException.notFound("album"));
                }
                Source embedded = embedded(album.get());
                return embedded != null ? Future.succeededFuture(embedded) : discogs(album.get());
            }));
    }

    private Future<Source> folderImage(String key) {
        return store.head(key).map(info -> new Source("folder", key, tag(info), () -> {
            if (info.size() > MAX_SOURCE_BYTES) {
                return Future.failedFuture(DomainException.notFound("usable cover art (" + key + " is over "
                    + MAX_SOURCE_BYTES + " bytes)"));
            }
            if (info.size() == 0) {
                return Future.succeededFuture(Buffer.buffer());
            }
            return store.read(key, new ByteRange(0, info.size() - 1));
        }));
    }

    private static String tag(ObjectInfo info) {
        return info.etag() != null && !info.etag().isEmpty() ? info.etag()
            : Long.toHexString(info.size()) + "-" + Long.toHexString(info.lastModified().toEpochMilli());
    }

    private Source embedded(Album album) {
        for (Song s : album.songs()) {
            if (s.tags() != null && Boolean.TRUE.equals(s.tags().embeddedCover())) {
                String songTag = s.httpEtag();
                return new Source("embedded", s.key(), songTag.substring(1, songTag.length() - 1),
                    () -> pictures.picture(s.key(), s.format(), s.size()).compose(b -> b != null
                        ? Future.succeededFuture(b)
                        : Future.failedFuture(DomainException.notFound("usable cover art (the picture in "
                            + s.key() + " cannot be read)"))));
            }
        }
        return null;
    }

    private Future<Source> discogs(Album album) {
        MetadataRef ref = MetadataRef.album(album.id(), album.artist().name(), album.name());
        Future<Metadata> lookup;
        try {
            lookup = metadata.metadata(ref).timeout(metadataTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            lookup = Future.failedFuture(e);
        }
        return lookup.recover(t -> Future.succeededFuture(Metadata.unavailable())).compose(m -> {
            String url = m.status() == Metadata.Status.READY ? imageUrl(m.data()) : null;
            if (url == null) {
                return Future.failedFuture(DomainException.notFound("cover art of this album"));
            }
            return Future.succeededFuture(new Source("discogs", url, sha256(url).substring(0, 32),
                () -> remote.fetch(url, MAX_SOURCE_BYTES)));
        });
    }

    /** The primary image's URL, else the first one's; null when there is none. */
    static String imageUrl(JsonObject data) {
        if (data == null) {
            return null;
        }
        JsonArray images = data.getJsonArray("images");
        String first = null;
        if (images != null) {
            for (Object o : images) {
                if (o instanceof JsonObject i && i.getValue("uri") instanceof String uri && !uri.isBlank()) {
                    if ("primary".equals(i.getString("type"))) {
                        return uri;
                    }
                    first = first == null ? uri : first;
                }
            }
        }
        if (first == null && data.getValue("image") instanceof JsonObject i && i.getValue("uri") instanceof String uri
            && !uri.isBlank()) {
            first = uri;
        }
        return first;
    }

    // ---- resizing and the cache -----------------------------------------------------------------------------------

    private static String etag(String albumId, Source src, int step) {
        return "\"" + sha256(albumId + "\n" + src.kind() + "\n" + src.id() + "\n" + src.tag() + "\n" + step)
            .substring(0, 40) + "\"";
    }

    /** {@code .s3music/art/} + this: {@code <albumId>/<size>-<source tag>.jpg} (long ids and odd tags hashed). */
    static String cacheKey(String albumId, Source src, int step) {
        String album = albumId.length() <= 200 ? albumId : "h" + sha256(albumId).substring(0, 40);
        String tag = src.tag().matches("[A-Za-z0-9-]{1,100}") ? src.tag() : "h" + sha256(src.tag()).substring(0, 40);
        return album + "/" + step + "-" + src.kind().charAt(0) + tag + ".jpg";
    }

    private Future<Buffer> resized(String albumId, Source src, int step) {
        String key = cacheKey(albumId, src, step);
        Buffer remembered = recent.getIfPresent(key);
        if (remembered != null) {
            return Future.succeededFuture(remembered);
        }
        Throwable refused = unusable.getIfPresent(key);
        if (refused != null) {
            return Future.failedFuture(refused);
        }
        Future<Buffer> running = inFlight.get(key);
        if (running != null) {
            return running;
        }
        Future<Buffer> made = cache.get(key)
            .recover(t -> {
                LOG.warn("cover cache read of {} failed, making it again: {}", key, t.getMessage());
                return Future.succeededFuture(null);
            })
            .compose(hit -> hit != null ? Future.succeededFuture(hit) : src.load().get()
                .compose(original -> worker.executeBlocking(() -> resize(original, step, src.id()), false))
                .compose(jpeg -> {
                    resized.incrementAndGet();
                    return cache.put(key, jpeg, "image/jpeg")
                        .recover(t -> {
                            LOG.warn("cover cache write of {} failed: {}", key, t.getMessage());
                            return Future.succeededFuture();
                        })
                        .map(v -> jpeg);
                }));
        inFlight.put(key, made);
        made.onComplete(ar -> {
            inFlight.remove(key, made);
            if (ar.succeeded()) {
                recent.put(key, ar.result());
            } else if (ar.cause() instanceof HttpException) {
                unusable.put(key, ar.cause()); // undecodable: the same bytes will not decode in a minute either
            }
        });
        return made;
    }

    /**
     * On the worker pool: decodes the image (its size read first, so a decompression bomb is refused before any
     * pixel is allocated) and writes it as a JPEG whose longest side is {@code step} (never enlarged).
     */
    static Buffer resize(Buffer original, int step, String what) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(original.getBytes()))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw undecodable(what, "not an image format this server reads (JPEG, PNG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            BufferedImage image;
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS || pixels <= 0) {
                    throw undecodable(what, reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels is over the "
                        + MAX_PIXELS + " a cover may have");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
            int longest = Math.max(image.getWidth(), image.getHeight());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var builder = Thumbnails.of(image);
            (longest > step ? builder.size(step, step) : builder.scale(1.0))
                .imageType(BufferedImage.TYPE_INT_RGB)
                .outputFormat("jpg")
                .outputQuality(JPEG_QUALITY)
                .toOutputStream(out);
            return Buffer.buffer(out.toByteArray());
        } catch (HttpException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw undecodable(what, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static HttpException undecodable(String what, String why) {
        return new HttpException(422, "the cover image of this album cannot be used: " + why);
    }

    private static boolean noneMatch(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String c = candidate.strip();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
