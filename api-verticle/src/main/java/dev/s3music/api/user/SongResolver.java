package dev.s3music.api.user;

import dev.s3music.model.Song;
import dev.s3music.model.port.CatalogReader;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Song ids to catalog songs, for playlists, the queue, favourites and play lists: the catalog's batch lookup
 * ({@link CatalogReader#songs}), or one lookup per id where the catalog has no batch lookup yet. Ids the catalog
 * does not hold (the key left the bucket) are absent from the answer: the caller shows them as missing.
 */
final class SongResolver {

    /** Lookups at once when falling back to one per id. */
    private static final int PARALLEL = 64;

    private final CatalogReader catalog;

    SongResolver(CatalogReader catalog) {
        this.catalog = catalog;
    }

    Future<Map<String, Song>> songs(Collection<String> ids) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        if (unique.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        Future<Map<String, Song>> batch;
        try {
            batch = catalog.songs(unique);
        } catch (RuntimeException e) {
            batch = Future.failedFuture(e);
        }
        return batch.recover(e -> oneByOne(unique));
    }

    private Future<Map<String, Song>> oneByOne(List<String> ids) {
        Map<String, Song> found = new HashMap<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < ids.size(); i += PARALLEL) {
            List<String> slice = ids.subList(i, Math.min(ids.size(), i + PARALLEL));
            chain = chain.compose(v -> {
                List<Future<Optional<Song>>> calls = slice.stream().map(catalog::song).toList();
                return Future.all(calls).map(all -> {
                    for (Future<Optional<Song>> f : calls) {
                        f.result().ifPresent(s -> found.put(s.id(), s));
                    }
                    return null;
                });
            });
        }
        return chain.map(v -> found);
    }
}
