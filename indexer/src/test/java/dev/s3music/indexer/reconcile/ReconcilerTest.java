package dev.s3music.indexer.reconcile;

import dev.s3music.indexer.BytesObjectStore;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerTest {

    Vertx vertx;
    InMemoryCatalog catalog;
    BytesObjectStore store;
    Reconciler reconciler;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        catalog = new InMemoryCatalog();
        store = new BytesObjectStore();
        reconciler = new Reconciler(store, new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE), 3, 4);
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    private List<String> catalogKeys() {
        List<String> all = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 100; i++) {
            Catalog.KeyPage p = await(catalog.keys(cursor, 100));
            all.addAll(p.keys());
            if ((cursor = p.cursor()) == null) {
                break;
            }
        }
        return all;
    }

    @Test
    void fillsAnEmptyCatalogFromAPagedListingAndChangesNothingWhenRunAgain() {
        for (int i = 0; i < 10; i++) {
            store.put("Artist " + (i % 3) + "/Album/" + i + " song.mp3", ("data" + i).getBytes());
        }
        store.put("Artist 0/Album/cover.jpg", new byte[] {1}).put("Artist 0/Album/notes.txt", new byte[] {1})
            .put(".DS_Store", new byte[] {1});
        RescanStatus first = await(reconciler.run());
        assertThat(first.state()).isEqualTo("done");
        assertThat(first.listed()).isEqualTo(13);
        assertThat(first.added()).isEqualTo(11);
        assertThat(await(catalog.size())).isEqualTo(10);
        assertThat(await(catalog.albumArt(Ids.album("Artist 0", "Album")))).contains("Artist 0/Album/cover.jpg");
        RescanStatus second = await(reconciler.run());
        assertThat(List.of(second.added(), second.updated(), second.removed())).containsOnly(0L);
        assertThat(second.listed()).isEqualTo(13);
    }

    @Test
    void afterLostEventsTheCatalogEqualsTheListingWithIdsUnchanged() {
        store.put("A/B/kept.mp3", "same".getBytes()).put("A/B/changed.mp3", "new bytes".getBytes())
            .put("A/B/new.mp3", "new".getBytes());
        ObjectInfo kept = await(store.head("A/B/kept.mp3"));
        await(catalog.upsert(Song.of(SongKey.parse("A/B/kept.mp3").orElseThrow(), kept.size(), kept.etag(), kept.lastModified())));
        await(catalog.upsert(Song.of(SongKey.parse("A/B/changed.mp3").orElseThrow(), 3, "old-etag", Instant.EPOCH)));
        await(catalog.upsert(Song.of(SongKey.parse("A/B/deleted.mp3").orElseThrow(), 3, "x", Instant.EPOCH)));
        await(catalog.upsertArt("A/B/folder.png", Catalog.Guard.none()));
        RescanStatus s = await(reconciler.run());
        assertThat(s.added()).isEqualTo(1);
        assertThat(s.updated()).isEqualTo(1);
        assertThat(s.removed()).isEqualTo(2);
        assertThat(catalogKeys()).containsExactlyInAnyOrder("A/B/kept.mp3", "A/B/changed.mp3", "A/B/new.mp3");
        assertThat(await(catalog.song(Ids.song("A/B/changed.mp3"))).orElseThrow().size()).isEqualTo(9);
    }

    @Test
    void withoutEtagsChangesAreSeenBySizeOrLastModified() {
        Song s = Song.of(SongKey.parse("A/B/x.mp3").orElseThrow(), 10, null, Instant.parse("2024-01-01T00:00:00.400Z"));
        assertThat(Reconciler.changed(s, new ObjectInfo("A/B/x.mp3", 10, null, Instant.parse("2024-01-01T00:00:00Z")))).isFalse();
        assertThat(Reconciler.changed(s, new ObjectInfo("A/B/x.mp3", 11, null, Instant.parse("2024-01-01T00:00:00Z")))).isTrue();
        assertThat(Reconciler.changed(s, new ObjectInfo("A/B/x.mp3", 10, null, Instant.parse("2024-01-01T00:00:05Z")))).isTrue();
        assertThat(Reconciler.changed(s, new ObjectInfo("A/B/x.mp3", 10, "e", Instant.parse("2024-01-01T00:00:05Z")))).isTrue();
    }

    @Test
    void answersRescanStartAndStatusOnTheEventBusAndRunsWhenTheCatalogIsEmpty() {
        for (int i = 0; i < 5; i++) {
            store.put("A/B/" + i + ".mp3", new byte[] {(byte) i});
        }
        await(vertx.deployVerticle(new ReconcileVerticle(reconciler, catalog, true)));
        waitUntil("reconcile at start", Duration.ofSeconds(10), () -> await(catalog.size()) == 5);
        store.put("A/B/late.mp3", new byte[] {9});
        Message<JsonObject> started = await(vertx.eventBus().request(Addresses.RESCAN_START, null));
        assertThat(started.body().getString("state")).isIn("running", "done");
        waitUntil("reconcile done", Duration.ofSeconds(10), () -> {
            Message<JsonObject> m = await(vertx.eventBus().request(Addresses.RESCAN_STATUS, null));
            return m.body().getString("state").equals("done") && m.body().getLong("added") == 1;
        });
        JsonObject s = await(vertx.eventBus().<JsonObject>request(Addresses.RESCAN_STATUS, null)).body();
        assertThat(s.fieldNames()).contains("listed", "added", "updated", "removed", "elapsedMs");
        assertThat(s.getLong("listed")).isEqualTo(6);
    }
}
