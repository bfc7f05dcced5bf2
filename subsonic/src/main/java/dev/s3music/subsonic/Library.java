package dev.s3music.subsonic;

import dev.s3music.model.Addresses;
import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Page;
import dev.s3music.model.Song;
import dev.s3music.model.port.CatalogReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whole-library views the catalog port answers only page by page: every album (by artist, then name) with its song
 * count, every artist. Subsonic needs them for an artist's {@code albumCount}, for paging through every song
 * ({@code search3} with an empty query, Symfonium's sync) and for {@code getIndexes}. Each is read in pages and kept
 * for {@link #DEFAULT_FRESH_FOR} (shared by every verticle instance; one read in flight at a time), so a client
 * paging through 100,000 songs costs one walk, not one per page. A catalog event ({@link Addresses#SONG_INDEXED},
 * {@link Addresses#SONG_REMOVED}, heard on every instance once {@link #listen} ran) drops both views at once, so an
 * upload shows up in the next answer; the time bound stays as a fallback for an event missed.
 *
 * <pre>
 *  indexer ── SongIndexed / SongRemoved (event bus) ──> drop() ──> next albums() / artists() reads the catalog again
 * </pre>
 */
final class Library {

    /**
     * Without a catalog event, a new upload shows up in these views within this long (lists and searches of the
     * catalog are immediate).
     */
    static final Duration DEFAULT_FRESH_FOR = Duration.ofSeconds(10);
    static final int PAGE = 500;

    private final CatalogReader catalog;
    private final long freshNanos;
    private final AtomicReference<Snapshot<List<AlbumInfo>>> albums = new AtomicReference<>();
    private final AtomicReference<Snapshot<List<ArtistSummary>>> artists = new AtomicReference<>();

    private record Snapshot<T>(Future<T> value, long until) {
    }

    Library(CatalogReader catalog, Duration freshFor) {
        this.catalog = catalog;
        this.freshNanos = freshFor.toNanos();
    }

    /**
     * Drops both views on each catalog event on {@code vertx}'s bus (cluster-wide when clustered); the future
     * completes once both consumers are registered.
     */
    Future<Void> listen(Vertx vertx) {
        MessageConsumer<Object> indexed = vertx.eventBus().consumer(Addresses.SONG_INDEXED, m -> drop());
        MessageConsumer<Object> removed = vertx.eventBus().consumer(Addresses.SONG_REMOVED, m -> drop());
        return Future.all(indexed.completion(), removed.completion()).mapEmpty();
    }

    /** Forgets both views (a read in flight is forgotten too): the next call reads the catalog again. */
    void drop() {
        albums.set(null);
        artists.set(null);
    }

    /** Every album, by artist then name. */
    Future<List<AlbumInfo>> albums() {
        return cached(albums, () -> pages((offset) -> catalog.albums(AlbumQuery.of(AlbumQuery.Order.ARTIST), offset, PAGE)));
    }

    /** Every artist, in the catalog's order. */
    Future<List<ArtistSummary>> artists() {
        return cached(artists, () -> pages((offset) -> catalog.artists(offset, PAGE)));
    }

    /** Album counts by artist id. */
    Future<Map<String, Integer>> albumCounts() {
        return albums().map(all -> {
            Map<String, Integer> counts = new HashMap<>();
            for (AlbumInfo a : all) {
                counts.merge(a.artist().id(), 1, Integer::sum);
            }
            return counts;
        });
    }

    /** Songs {@code offset} to {@code offset + count} of the whole library (by artist, album, play order). */
    Future<List<Song>> songs(int offset, int count) {
        if (count <= 0) {
            return Future.succeededFuture(List.of());
        }
        return albums().compose(all -> {
            List<Future<java.util.Optional<Album>>> wanted = new ArrayList<>();
            long start = 0;
            int skipInFirst = 0;
            for (AlbumInfo a : all) {
                long end = start + a.songCount();
                if (end > offset && start < (long) offset + count) {
                    if (wanted.isEmpty()) {
                        skipInFirst = (int) Math.max(0, offset - start);
                    }
                    wanted.add(catalog.album(a.id()));
                }
                if (start >= (long) offset + count) {
                    break;
                }
                start = end;
            }
            int skip = skipInFirst;
            return Future.all(wanted).map(done -> {
                List<Song> out = new ArrayList<>(count);
                int toSkip = skip;
                for (Future<java.util.Optional<Album>> f : wanted) {
                    for (Song s : f.result().map(Album::songs).orElse(List.of())) {
                        if (toSkip > 0) {
                            toSkip--;
                        } else if (out.size() < count) {
                            out.add(s);
                        }
                    }
                }
                return out;
            });
        });
    }

    private <T> Future<List<T>> cached(AtomicReference<Snapshot<List<T>>> ref,
                                       java.util.function.Supplier<Future<List<T>>> load) {
        Snapshot<List<T>> s = ref.get();
        long now = System.nanoTime();
        if (s != null && s.until() - now > 0 && !s.value().failed()) {
            return s.value();
        }
        Future<List<T>> fresh = load.get();
        Snapshot<List<T>> next = new Snapshot<>(fresh, now + freshNanos);
        if (!ref.compareAndSet(s, next)) {
            Snapshot<List<T>> other = ref.get();
            return other != null ? other.value() : fresh;
        }
        return fresh;
    }

    private static <T> Future<List<T>> pages(java.util.function.IntFunction<Future<Page<T>>> page) {
        List<T> all = new ArrayList<>();
        return next(page, 0, all);
    }

    private static <T> Future<List<T>> next(java.util.function.IntFunction<Future<Page<T>>> page, int offset, List<T> all) {
        return page.apply(offset).compose(p -> {
            all.addAll(p.items());
            int nextOffset = offset + p.items().size();
            if (p.items().isEmpty() || nextOffset >= p.total()) {
                return Future.succeededFuture(List.copyOf(all));
            }
            return next(page, nextOffset, all);
        });
    }
}
