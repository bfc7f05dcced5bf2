package dev.s3music.launcher;

import dev.s3music.model.ObjectInfo;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a catalog once by listing the whole bucket: key -> {@link SongKey} -> {@link Song} -> upsert. A stand-in
 * for the indexer's reconcile (which also removes, compares ETags and reports progress) until it is wired in
 * here; nothing else depends on this class.
 */
final class BucketListingLoader {

    static final int PAGE_SIZE = 1000;
    /** 10 million keys: far beyond a personal library; stops a store that never ends its listing. */
    static final int MAX_PAGES = 10_000;

    private BucketListingLoader() {
    }

    /** Lists every page and upserts every song key; completes with the number of songs. */
    static Future<Integer> load(ObjectStore store, Catalog catalog) {
        return page(store, catalog, null, 0, 0);
    }

    private static Future<Integer> page(ObjectStore store, Catalog catalog, String token, int pages, int songs) {
        if (pages >= MAX_PAGES) {
            return Future.failedFuture(new IllegalStateException("bucket listing exceeded " + MAX_PAGES + " pages"));
        }
        return store.list(token, PAGE_SIZE).compose(listing -> {
            List<Future<Boolean>> upserts = new ArrayList<>();
            for (ObjectInfo o : listing.objects()) {
                SongKey.parse(o.key()).ifPresent(k -> upserts.add(catalog.upsert(Song.of(k, o.size(), o.etag(),
                    o.lastModified() == null ? Instant.EPOCH : o.lastModified()))));
            }
            int total = songs + upserts.size();
            return Future.all(upserts).compose(done -> listing.nextToken() == null
                ? Future.succeededFuture(total)
                : page(store, catalog, listing.nextToken(), pages + 1, total));
        });
    }
}
