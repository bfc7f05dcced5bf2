package dev.s3music.api.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.s3music.model.Addresses;
import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.event.SongRemoved;
import dev.s3music.model.port.CatalogReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The catalog L1 of one API process: a {@link CatalogReader} decorator that keeps the answers of the catalog's most
 * read calls in memory (artist pages, artists, albums, songs, searches, the song count) in front of the shared
 * catalog (Redis), and forgets them when the catalog says it changed: the indexer publishes
 * {@link Addresses#SONG_INDEXED} / {@link Addresses#SONG_REMOVED} after each write, and every API instance hears it.
 *
 * <ul>
 *   <li><b>What goes.</b> An event drops the song, its album and its artist (the items that hold it) and every list
 *       (pages, searches, the count: any of them may hold or count it). Nothing else changes with one song.</li>
 *   <li><b>Never after its event.</b> Every event moves an epoch. A read from the catalog that started before an
 *       event and answers after it may hold the old state: it is neither kept nor served; the call reads again (at
 *       most {@link #MAX_REREADS} times, then answers the latest read without keeping it). So once an instance has
 *       heard that a song was removed, none of its answers holds it.</li>
 *   <li><b>Bounded.</b> {@code maxItems} items and a tenth as many lists (Caffeine, W-TinyLFU), each entry at most
 *       {@link #MAX_AGE} old: events lost to a cluster partition cannot keep a stale entry longer than that.</li>
 *   <li><b>Passes through</b> what it does not keep: album art (its changes publish no event), the list calls of the
 *       web player and Subsonic (a random order must not be kept), and any call added to the port later.</li>
 * </ul>
 * Thread-safe: one instance serves every HTTP verticle instance of the process.
 */
public final class CachedCatalog implements CatalogReader, AutoCloseable {

    /** Oldest an entry may be served: the bound on staleness if events were lost (a partition, a restart race). */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** Reads again when an event arrived during a read; bounded so a storm of events cannot loop a request. */
    static final int MAX_REREADS = 3;

    private final CatalogReader delegate;
    private final Cache<String, Object> items;
    private final Cache<String, Object> lists;
    private final AtomicLong epoch = new AtomicLong();
    private final List<MessageConsumer<?>> consumers;
    private final Future<Void> ready;

    private CachedCatalog(Vertx vertx, CatalogReader delegate, int maxItems, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
        }
        // maintenance on the calling thread: no hop to the common pool from an event loop
        this.items = Caffeine.newBuilder().maximumSize(maxItems).expireAfterWrite(MAX_AGE).executor(Runnable::run)
            .recordStats().build();
        this.lists = Caffeine.newBuilder().maximumSize(Math.max(16, maxItems / 10)).expireAfterWrite(MAX_AGE)
            .executor(Runnable::run).recordStats().build();
        if (registry != null) {
            CaffeineCacheMetrics.monitor(registry, items, "catalog_items");
            CaffeineCacheMetrics.monitor(registry, lists, "catalog_lists");
        }
        MessageConsumer<SongIndexed> indexed = vertx.eventBus().consumer(Addresses.SONG_INDEXED,
            m -> changed(m.body().songId(), m.body().albumId(), m.body().artistId()));
        MessageConsumer<SongRemoved> removed = vertx.eventBus().consumer(Addresses.SONG_REMOVED, m -> {
            Optional<SongKey> k = SongKey.parse(m.body().key());
            if (k.isPresent()) {
                changed(m.body().songId(), k.get().albumId(), k.get().artistId());
            } else {
                changedAll();
            }
        });
        this.consumers = List.of(indexed, removed);
        this.ready = Future.all(indexed.completion(), removed.completion()).mapEmpty();
    }

    /**
     * The L1 in front of {@code delegate}, listening to the catalog events on {@code vertx}'s event bus (clustered:
     * every instance hears each event once).
     *
     * @param maxItems artists, albums and songs kept (lists: a tenth of it)
     * @param registry where its hit, miss and eviction meters go ({@code cache_*{cache="catalog_items"}}), or null
     */
    public static CachedCatalog create(Vertx vertx, CatalogReader delegate, int maxItems, MeterRegistry registry) {
        return new CachedCatalog(vertx, delegate, maxItems, registry);
    }

    /** Completes once both event consumers are registered (cluster-wide when clustered). */
    public Future<Void> ready() {
        return ready;
    }

    /** Entries kept now (items and lists), for tests and the benchmark. */
    public long entries() {
        items.cleanUp();
        lists.cleanUp();
        return items.estimatedSize() + lists.estimatedSize();
    }

    /** Catalog events heard so far (tests wait for one). */
    long epoch() {
        return epoch.get();
    }

    private void changed(String songId, String albumId, String artistId) {
        // the epoch first (a read finishing now sees it and does not keep its answer), then the lists before the
        // items: whoever sees the new song also sees no list from before it
        epoch.incrementAndGet();
        lists.invalidateAll();
        items.invalidateAll(List.of("song:" + songId, "album:" + albumId, "artist:" + artistId));
    }

    private void changedAll() {
        epoch.incrementAndGet();
        lists.invalidateAll();
        items.invalidateAll();
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> cached(Cache<String, Object> cache, String key, Supplier<Future<T>> load) {
        Object hit = cache.getIfPresent(key);
        if (hit != null) {
            return Future.succeededFuture((T) hit);
        }
        return read(cache, key, load, 0);
    }

    private <T> Future<T> read(Cache<String, Object> cache, String key, Supplier<Future<T>> load, int rereads) {
        long before = epoch.get();
        return load.get().compose(value -> {
            if (epoch.get() == before) {
                if (value == null) {
                    return Future.succeededFuture(null);
                }
                cache.put(key, value);
                if (epoch.get() == before) {
                    return Future.succeededFuture(value);
                }
                // an event slipped in between the check and the put: its invalidation may have run before the put
                cache.asMap().remove(key, value);
            }
            // an event arrived while this read was out: it may hold what the event changed
            return rereads < MAX_REREADS ? read(cache, key, load, rereads + 1) : Future.succeededFuture(value);
        });
    }

    // ---- kept ----

    @Override
    public Future<Page<ArtistSummary>> artists(int offset, int limit) {
        return cached(lists, "artists:" + offset + ":" + limit, () -> delegate.artists(offset, limit));
    }

    @Override
    public Future<Optional<Artist>> artist(String artistId) {
        return cached(items, "artist:" + artistId, () -> delegate.artist(artistId));
    }

    @Override
    public Future<Optional<Album>> album(String albumId) {
        return cached(items, "album:" + albumId, () -> delegate.album(albumId));
    }

    @Override
    public Future<Optional<Song>> song(String songId) {
        return cached(items, "song:" + songId, () -> delegate.song(songId));
    }

    @Override
    public Future<SearchResult> search(String query, int limit) {
        return cached(lists, "search:" + limit + ":" + query, () -> delegate.search(query, limit));
    }

    @Override
    public Future<Long> size() {
        return cached(lists, "size", delegate::size);
    }

    // ---- passed through ----

    @Override
    public Future<Optional<String>> albumArt(String albumId) {
        return delegate.albumArt(albumId);
    }

    @Override
    public Future<Page<AlbumInfo>> albums(AlbumQuery query, int offset, int limit) {
        return delegate.albums(query, offset, limit);
    }

    @Override
    public Future<Map<String, AlbumInfo>> albumInfos(Collection<String> albumIds) {
        return delegate.albumInfos(albumIds);
    }

    @Override
    public Future<Map<String, Song>> songs(Collection<String> songIds) {
        return delegate.songs(songIds);
    }

    @Override
    public Future<List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear) {
        return delegate.randomSongs(count, genre, fromYear, toYear);
    }

    @Override
    public Future<Page<Song>> songsByGenre(String genre, int offset, int limit) {
        return delegate.songsByGenre(genre, offset, limit);
    }

    @Override
    public Future<List<GenreCount>> genres() {
        return delegate.genres();
    }

    /** Stops listening to the catalog events. */
    @Override
    public void close() {
        consumers.forEach(MessageConsumer::unregister);
    }
}
