package dev.s3music.api;

import dev.s3music.model.AlbumQuery;
import dev.s3music.model.CatalogLists;
import dev.s3music.model.DomainException;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Catalog read endpoints over the {@link CatalogReader} port, with metadata from the {@link MetadataReader} port.
 * Query parameters have been validated against the OpenAPI contract before these run.
 */
final class CatalogHandlers {

    static final int DEFAULT_PAGE = 50;
    static final int DEFAULT_SEARCH_LIMIT = 20;
    static final int DEFAULT_RANDOM = 10;

    private final CatalogReader catalog;
    private final MetadataReader metadata;
    private final Duration metadataTimeout;

    CatalogHandlers(CatalogReader catalog, MetadataReader metadata, Duration metadataTimeout) {
        this.catalog = catalog;
        this.metadata = metadata;
        this.metadataTimeout = metadataTimeout;
    }

    void listArtists(RoutingContext rc) {
        int offset = intParam(rc, "offset", 0);
        int limit = intParam(rc, "limit", DEFAULT_PAGE);
        reply(rc, catalog.artists(offset, limit).map(p -> CatalogJson.page(p, CatalogJson::artistRef)));
    }

    void getArtist(RoutingContext rc) {
        reply(rc, found(catalog.artist(rc.pathParam("id")), "artist")
            .compose(a -> metadata(MetadataRef.artist(a.id(), a.name())).map(m -> CatalogJson.artist(a, m))));
    }

    void getAlbum(RoutingContext rc) {
        reply(rc, found(catalog.album(rc.pathParam("id")), "album")
            .compose(a -> metadata(MetadataRef.album(a.id(), a.artist().name(), a.name())).map(m -> CatalogJson.album(a, m))));
    }

    void getSong(RoutingContext rc) {
        reply(rc, found(catalog.song(rc.pathParam("id")), "song")
            .compose(s -> metadata(MetadataRef.song(s)).map(m -> CatalogJson.song(s, m))));
    }

    void search(RoutingContext rc) {
        String q = rc.queryParams().get("q");
        int limit = intParam(rc, "limit", DEFAULT_SEARCH_LIMIT);
        if (q == null || q.isBlank()) {
            rc.fail(DomainException.invalid("q must hold a word"));
            return;
        }
        reply(rc, catalog.search(q, limit).map(CatalogJson::search));
    }

    /** {@code GET /api/albums?sort&genre&fromYear&toYear&offset&limit}: one page of {@link dev.s3music.model.AlbumInfo}. */
    void listAlbums(RoutingContext rc) {
        String sort = rc.queryParams().get("sort");
        AlbumQuery.Order order = sort == null || sort.isEmpty() ? AlbumQuery.Order.NAME
            : AlbumQuery.Order.valueOf(sort.toUpperCase(Locale.ROOT)); // the contract's enum: valid here
        Integer from = optionalInt(rc, "fromYear");
        Integer to = optionalInt(rc, "toYear");
        if (from != null || to != null) {
            from = from == null ? CatalogLists.MIN_YEAR : from;
            to = to == null ? CatalogLists.MAX_YEAR : to;
        }
        AlbumQuery query = new AlbumQuery(order, rc.queryParams().get("genre"), from, to);
        int offset = intParam(rc, "offset", 0);
        int limit = intParam(rc, "limit", DEFAULT_PAGE);
        reply(rc, catalog.albums(query, offset, limit).map(p -> CatalogJson.page(p, CatalogJson::albumInfo)));
    }

    /** {@code GET /api/genres}. */
    void listGenres(RoutingContext rc) {
        reply(rc, catalog.genres().map(CatalogJson::genres));
    }

    /** {@code GET /api/songs/random?count&genre&fromYear&toYear}. */
    void randomSongs(RoutingContext rc) {
        int count = intParam(rc, "count", DEFAULT_RANDOM);
        reply(rc, catalog.randomSongs(count, rc.queryParams().get("genre"), optionalInt(rc, "fromYear"),
            optionalInt(rc, "toYear")).map(songs -> CatalogJson.songs(songs)));
    }

    /** {@code GET /api/songs?genre&offset&limit}: a genre's songs by artist, album and play order. */
    void listSongs(RoutingContext rc) {
        int offset = intParam(rc, "offset", 0);
        int limit = intParam(rc, "limit", DEFAULT_PAGE);
        reply(rc, catalog.songsByGenre(rc.queryParams().get("genre"), offset, limit)
            .map(p -> CatalogJson.page(p, CatalogJson::songSummary)));
    }

    private static Integer optionalInt(RoutingContext rc, String name) {
        String v = rc.queryParams().get(name);
        return v == null || v.isEmpty() ? null : intParam(rc, name, 0);
    }

    /**
     * The metadata reader answers from its caches at once; if it does not within the timeout, or fails, the
     * catalog answer goes out anyway with {@code unavailable}: metadata never holds the catalog hostage.
     */
    private Future<Metadata> metadata(MetadataRef ref) {
        Future<Metadata> lookup;
        try {
            lookup = metadata.metadata(ref);
        } catch (RuntimeException e) {
            lookup = Future.failedFuture(e);
        }
        return lookup.timeout(metadataTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .otherwise(t -> Metadata.unavailable())
            .map(m -> m == null ? Metadata.unavailable() : m);
    }

    private static <T> Future<T> found(Future<Optional<T>> lookup, String what) {
        return lookup.compose(o -> o.<Future<T>>map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(DomainException.notFound(what))));
    }

    static void reply(RoutingContext rc, Future<JsonObject> json) {
        json.onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                rc.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .end(ar.result().encode());
            }
        });
    }

    /** A validated integer query parameter, or its default when absent. */
    static int intParam(RoutingContext rc, String name, int fallback) {
        String v = rc.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw DomainException.invalid(name + " must be an integer");
        }
    }
}
