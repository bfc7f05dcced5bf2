package dev.s3music.api.catalog;

import dev.s3music.model.Addresses;
import dev.s3music.model.Album;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.event.SongRemoved;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.CatalogReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog L1 driven by the catalog events on a real event bus: it serves repeated reads from memory, and once the
 * event of a removal or an upsert has arrived no answer holds the old state, including a read that was out at the
 * catalog while the event arrived; it stays bounded and passes through what it does not keep.
 */
class CachedCatalogTest {

    static final String KEY = "Bill Evans/Sunday at the Village Vanguard/01 - Gloria's Step.flac";
    static final String OTHER = "Bill Evans/Sunday at the Village Vanguard/02 - My Man's Gone Now.flac";

    Vertx vertx;
    InMemoryCatalog catalog;
    Counting counting;
    CachedCatalog l1;
    Song song;

    /** The catalog, counting the calls that reach it; song() may be held until released. */
    static final class Counting implements CatalogReader {
        final CatalogReader d;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final AtomicReference<Promise<Void>> hold = new AtomicReference<>();

        Counting(CatalogReader d) {
            this.d = d;
        }

        int calls(String m) {
            return calls.computeIfAbsent(m, k -> new AtomicInteger()).get();
        }

        private void count(String m) {
            calls.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public Future<Page<ArtistSummary>> artists(int offset, int limit) {
            count("artists");
            return d.artists(offset, limit);
        }

        @Override
        public Future<Optional<Artist>> artist(String id) {
            count("artist");
            return d.artist(id);
        }

        @Override
        public Future<Optional<Album>> album(String id) {
            count("album");
            return d.album(id);
        }

        @Override
        public Future<Optional<Song>> song(String id) {
            count("song");
            // read now, answer when released: a read that was out at the catalog when the event came
            Future<Optional<Song>> now = d.song(id);
            Promise<Void> h = hold.getAndSet(null);
            return h == null ? now : h.future().compose(v -> now);
        }

        @Override
        public Future<SearchResult> search(String q, int limit) {
            count("search");
            return d.search(q, limit);
        }

        @Override
        public Future<Long> size() {
            count("size");
            return d.size();
        }

        volatile Future<java.util.List<dev.s3music.model.GenreCount>> genres;

        @Override
        public Future<java.util.List<dev.s3music.model.GenreCount>> genres() {
            count("genres");
            return genres;
        }

        @Override
        public Future<Optional<String>> albumArt(String albumId) {
            count("albumArt");
            return d.albumArt(albumId);
        }

        @Override
        public Future<Page<dev.s3music.model.AlbumInfo>> albums(dev.s3music.model.AlbumQuery query, int offset, int limit) {
            count("albums");
            return d.albums(query, offset, limit);
        }

        @Override
        public Future<Map<String, dev.s3music.model.AlbumInfo>> albumInfos(java.util.Collection<String> ids) {
            count("albumInfos");
            return d.albumInfos(ids);
        }

        @Override
        public Future<Map<String, Song>> songs(java.util.Collection<String> ids) {
            count("songs");
            return d.songs(ids);
        }

        @Override
        public Future<java.util.List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear) {
            count("randomSongs");
            return d.randomSongs(count, genre, fromYear, toYear);
        }

        @Override
        public Future<Page<Song>> songsByGenre(String genre, int offset, int limit) {
            count("songsByGenre");
            return d.songsByGenre(genre, offset, limit);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        catalog = new InMemoryCatalog();
        song = Song.of(SongKey.parse(KEY).orElseThrow(), 1000, "e1", Instant.EPOCH);
        catalog.upsert(song).await();
        catalog.upsert(Song.of(SongKey.parse(OTHER).orElseThrow(), 2000, "e2", Instant.EPOCH)).await();
        counting = new Counting(catalog);
        l1 = CachedCatalog.create(vertx, counting, 100, new SimpleMeterRegistry());
        l1.ready().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        l1.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** The indexer's order: the catalog write, then the fact on the bus. */
    private void remove(String key) {
        catalog.remove(key).await();
        vertx.eventBus().publish(Addresses.SONG_REMOVED, new SongRemoved(song.id(), key));
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private Optional<Song> song() {
        return l1.song(song.id()).await();
    }

    @Test
    void repeatedReadsAreServedFromMemory() {
        for (int i = 0; i < 5; i++) {
            assertThat(song()).contains(song);
            assertThat(l1.album(song.albumId()).await()).isPresent();
            assertThat(l1.artist(song.artistId()).await()).isPresent();
            assertThat(l1.artists(0, 20).await().items()).hasSize(1);
            assertThat(l1.search("gloria", 10).await().songs()).hasSize(1);
            assertThat(l1.size().await()).isEqualTo(2);
        }
        for (String m : new String[]{"song", "album", "artist", "artists", "search", "size"}) {
            assertThat(counting.calls(m)).as(m).isEqualTo(1);
        }
    }

    @Test
    void aRemovedSongIsNeverServedOnceItsEventArrived() throws Exception {
        assertThat(song()).contains(song);
        assertThat(l1.album(song.albumId()).await().orElseThrow().songs()).hasSize(2);
        assertThat(l1.search("gloria", 10).await().songs()).hasSize(1);
        assertThat(l1.size().await()).isEqualTo(2);

        catalog.remove(KEY).await();
        // the write alone is not seen (this is a cache), the event is
        assertThat(song()).contains(song);
        int before = counting.calls("song");
        vertx.eventBus().publish(Addresses.SONG_REMOVED, new SongRemoved(song.id(), KEY));
        waitFor(() -> l1.song(song.id()).result() != null && l1.song(song.id()).result().isEmpty());
        assertThat(counting.calls("song")).isGreaterThan(before);
        assertThat(l1.album(song.albumId()).await().orElseThrow().songs()).extracting(Song::key).containsExactly(OTHER);
        assertThat(l1.search("gloria", 10).await().songs()).isEmpty();
        assertThat(l1.size().await()).isEqualTo(1);
        // and it stays gone (the empty answer is kept, not the old one)
        assertThat(song()).isEmpty();
    }

    @Test
    void aReadThatWasOutWhenTheEventCameIsReadAgainAndNotKept() throws Exception {
        Promise<Void> held = Promise.promise();
        counting.hold.set(held);
        // a read of the song leaves for the catalog and gets its (old) answer there...
        Future<Optional<Song>> inFlight = l1.song(song.id());
        // ...the song is removed and the event arrives before that answer comes back
        long heard = l1.epoch();
        remove(KEY);
        waitFor(() -> l1.epoch() > heard);
        int calls = counting.calls("song");
        vertx.runOnContext(v -> held.complete());
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).as("answered after the event").isEmpty();
        assertThat(counting.calls("song")).as("read again").isEqualTo(calls + 1);
        assertThat(song()).isEmpty();
    }

    @Test
    void anIndexedEventReplacesTheSongItsAlbumAndArtist() throws Exception {
        assertThat(song().orElseThrow().size()).isEqualTo(1000);
        assertThat(l1.album(song.albumId()).await().orElseThrow().songs().get(0).size()).isEqualTo(1000);
        Song bigger = Song.of(SongKey.parse(KEY).orElseThrow(), 5000, "e3", Instant.EPOCH);
        catalog.upsert(bigger).await();
        vertx.eventBus().publish(Addresses.SONG_INDEXED, SongIndexed.of(bigger));
        waitFor(() -> l1.song(song.id()).result() != null && l1.song(song.id()).result().orElseThrow().size() == 5000);
        assertThat(l1.album(song.albumId()).await().orElseThrow().songs().get(0).size()).isEqualTo(5000);
    }

    @Test
    void itStaysBoundedAndPassesThroughWhatItDoesNotKeep() throws Exception {
        for (int i = 0; i < 1000; i++) {
            l1.song("unknown-" + i).await();
            l1.artists(i, 1).await();
        }
        assertThat(l1.entries()).isLessThanOrEqualTo(100 + 16);
        l1.albumArt(song.albumId()).await();
        l1.albumArt(song.albumId()).await();
        assertThat(counting.calls("albumArt")).isEqualTo(2);
        // the lists of the player and Subsonic go to the catalog every time, answers and failures as they are
        var genres = java.util.List.of(new dev.s3music.model.GenreCount("Jazz", 2, 1));
        counting.genres = Future.succeededFuture(genres);
        assertThat(l1.genres().await()).isSameAs(genres);
        assertThat(l1.genres().await()).isSameAs(genres);
        assertThat(counting.calls("genres")).isEqualTo(2);
        counting.genres = Future.failedFuture(new IllegalStateException("down"));
        assertThat(l1.genres().cause()).hasMessage("down");
    }
}
