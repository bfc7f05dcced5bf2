package dev.s3music.model.port;

import dev.s3music.model.Album;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Ids;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;

import dev.s3music.model.port.CatalogWriter.Guard;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every catalog adapter shares; run against the in-memory and the Redis catalog. */
public abstract class CatalogContractTest {

    protected Catalog catalog;

    protected abstract Catalog newCatalog();

    @BeforeEach
    protected void setUpCatalog() {
        catalog = newCatalog();
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static Song song(String key) {
        return Song.of(SongKey.parse(key).orElseThrow(), 100, "etag-" + key.hashCode(), Instant.parse("2024-01-01T00:00:00Z"));
    }

    private void put(String... keys) {
        for (String k : keys) {
            assertThat(await(catalog.upsert(song(k)))).isTrue();
        }
    }

    @Test
    public void listsArtistsPagedInCaseAndAccentInsensitiveOrder() {
        put("zappa/a/1.mp3", "Émilie/a/1.mp3", "abba/a/1.mp3", "Beyoncé/a/1.mp3", "beyonce/a/1.mp3", "Eels/a/1.mp3");
        Page<ArtistSummary> all = await(catalog.artists(0, 10));
        assertThat(all.items()).extracting(ArtistSummary::name)
            .containsExactly("abba", "Beyoncé", "beyonce", "Eels", "Émilie", "zappa");
        assertThat(all.total()).isEqualTo(6);
        Page<ArtistSummary> page = await(catalog.artists(2, 2));
        assertThat(page.items()).extracting(ArtistSummary::name).containsExactly("beyonce", "Eels");
        assertThat(page.total()).isEqualTo(6);
        assertThat(await(catalog.artists(10, 5)).items()).isEmpty();
        assertThat(all.items().get(1).id()).isEqualTo(Ids.artist("Beyoncé"));
    }

    @Test
    public void artistHoldsAlbumsInOrderAndAlbumHoldsSongsInPlayOrder() {
        put("A/zeta/1.mp3", "A/Alpha/10 ten.mp3", "A/Alpha/2 two.mp3", "A/Alpha/CD2/01 x.mp3", "A/Ålborg/x.mp3");
        Artist a = await(catalog.artist(Ids.artist("A"))).orElseThrow();
        assertThat(a.name()).isEqualTo("A");
        assertThat(a.albums()).extracting(x -> x.name()).containsExactly("Ålborg", "Alpha", "zeta");
        Album alpha = await(catalog.album(Ids.album("A", "Alpha"))).orElseThrow();
        assertThat(alpha.songs()).extracting(Song::title).containsExactly("x", "two", "ten");
        assertThat(alpha.artist()).isEqualTo(new ArtistSummary(Ids.artist("A"), "A"));
        assertThat(await(catalog.song(Ids.song("A/zeta/1.mp3")))).contains(song("A/zeta/1.mp3"));
        assertThat(await(catalog.size())).isEqualTo(5);
    }

    @Test
    public void unknownIdsAreEmpty() {
        assertThat(await(catalog.artist(Ids.artist("nobody")))).isEmpty();
        assertThat(await(catalog.album(Ids.album("no", "body")))).isEmpty();
        assertThat(await(catalog.song(Ids.song("no/bo/dy.mp3")))).isEmpty();
    }

    @Test
    public void upsertIsIdempotentAndReplacesChangedSongs() {
        Song s = song("A/B/01 x.mp3");
        assertThat(await(catalog.upsert(s))).isTrue();
        assertThat(await(catalog.upsert(s))).isFalse();
        Song retitled = s.withTags(new SongTags("New Title", null, null, 3, null, 1999, "Jazz", 61, true));
        assertThat(await(catalog.upsert(retitled))).isTrue();
        assertThat(await(catalog.song(s.id()))).contains(retitled);
        assertThat(await(catalog.size())).isEqualTo(1);
        assertThat(await(catalog.search("new title", 10)).songs()).containsExactly(retitled);
        assertThat(await(catalog.search("x", 10)).songs()).isEmpty();
    }

    @Test
    public void addedAtIsTheFirstIndexingAndSurvivesReindexingAndRescans() {
        Instant first = Instant.parse("2024-02-01T10:00:00Z");
        Song s = song("A/B/01 x.mp3").withAddedAt(first);
        assertThat(await(catalog.upsert(s, Guard.event("01")))).isTrue();
        assertThat(await(catalog.song(s.id())).orElseThrow().addedAt()).isEqualTo(first);

        // re-indexed (a new event, new content) and rescanned later: still the first time
        Song changed = song("A/B/01 x.mp3").withTags(new SongTags("T", null, null, 1, null, null, null, 3, false))
            .withAddedAt(first.plusSeconds(3600));
        assertThat(await(catalog.upsert(changed, Guard.event("02")))).isTrue();
        assertThat(await(catalog.upsert(changed.withAddedAt(first.plusSeconds(7200)), Guard.reconcile(0)))).isFalse();
        assertThat(await(catalog.upsert(changed.withAddedAt(first.plusSeconds(7200))))).as("no change").isFalse();
        Song held = await(catalog.song(s.id())).orElseThrow();
        assertThat(held.title()).isEqualTo("T");
        assertThat(held.addedAt()).isEqualTo(first);
        assertThat(await(catalog.songsByKey(List.of(s.key()))).get(s.key()).addedAt()).isEqualTo(first);
        assertThat(await(catalog.album(s.albumId())).orElseThrow().songs().get(0).addedAt()).isEqualTo(first);
        assertThat(await(catalog.search("t", 10)).songs().get(0).addedAt()).isEqualTo(first);

        // removed, then added again: a new addedAt
        Instant again = first.plusSeconds(86_400);
        assertThat(await(catalog.remove(s.key(), Guard.event("03")))).isTrue();
        assertThat(await(catalog.upsert(s.withAddedAt(again), Guard.event("04")))).isTrue();
        assertThat(await(catalog.song(s.id())).orElseThrow().addedAt()).isEqualTo(again);
    }

    @Test
    public void aSongWithoutAddedAtGetsTheCatalogsNow() {
        Instant before = Instant.now().minusSeconds(60);
        Song s = song("A/B/01 x.mp3");
        assertThat(s.addedAt()).isNull();
        await(catalog.upsert(s));
        Instant at = await(catalog.song(s.id())).orElseThrow().addedAt();
        assertThat(at).isNotNull().isAfter(before).isBefore(Instant.now().plusSeconds(60));
        await(catalog.upsert(s.withTags(new SongTags("T", null, null, null, null, null, null, null, false))));
        assertThat(await(catalog.song(s.id())).orElseThrow().addedAt()).isEqualTo(at);
    }

    @Test
    public void aLooseFileIsBrowsableFromItsArtist() {
        put("Loose Track.mp3", "A/B/1.mp3");
        var unknown = await(catalog.artists(0, 10)).items().stream()
            .filter(a -> a.name().equals(SongKey.UNKNOWN_ARTIST)).findFirst().orElseThrow();
        var artist = await(catalog.artist(unknown.id())).orElseThrow();
        assertThat(artist.albums()).hasSize(1);
        var album = await(catalog.album(artist.albums().get(0).id())).orElseThrow();
        assertThat(album.songs()).extracting(Song::key).containsExactly("Loose Track.mp3");
    }

    @Test
    public void removingTheLastSongRemovesItsAlbumAndArtist() {
        put("A/B/1.mp3", "A/B/2.mp3", "A/C/1.mp3");
        assertThat(await(catalog.remove("A/B/1.mp3"))).isTrue();
        assertThat(await(catalog.remove("A/B/1.mp3"))).isFalse();
        assertThat(await(catalog.album(Ids.album("A", "B")))).isPresent();
        assertThat(await(catalog.remove("A/B/2.mp3"))).isTrue();
        assertThat(await(catalog.album(Ids.album("A", "B")))).isEmpty();
        assertThat(await(catalog.artist(Ids.artist("A"))).orElseThrow().albums()).extracting(x -> x.name()).containsExactly("C");
        assertThat(await(catalog.search("b", 10)).albums()).isEmpty();
        assertThat(await(catalog.remove("A/C/1.mp3"))).isTrue();
        assertThat(await(catalog.artists(0, 10)).total()).isZero();
        assertThat(await(catalog.artist(Ids.artist("A")))).isEmpty();
        assertThat(await(catalog.search("a", 10)).artists()).isEmpty();
        assertThat(await(catalog.size())).isZero();
    }

    @Test
    public void searchMatchesWordPrefixesAccentAndCaseInsensitively() {
        put("Björk/Homogenic/01 Hunter.flac", "Miles Davis/Kind of Blue/02 Freddie Freeloader.mp3",
            "Miles Davis/Kind of Blue/03 Blue in Green.mp3", "Blues Brothers/Live/01 Sweet Home Chicago.mp3",
            "Sigur Rós/Ágætis byrjun/08 Avalon.flac");
        SearchResult r = await(catalog.search("bjork", 10));
        assertThat(r.artists()).extracting(ArtistSummary::name).containsExactly("Björk");
        assertThat(await(catalog.search("ROS sig", 10)).artists()).extracting(ArtistSummary::name).containsExactly("Sigur Rós");
        assertThat(await(catalog.search("agaetis", 10)).albums()).isEmpty(); // æ is a letter of its own, not "ae"
        assertThat(await(catalog.search("ÁGÆT", 10)).albums()).extracting(x -> x.name()).containsExactly("Ágætis byrjun");
        SearchResult blue = await(catalog.search("blue", 10));
        assertThat(blue.artists()).extracting(ArtistSummary::name).containsExactly("Blues Brothers");
        assertThat(blue.albums()).extracting(x -> x.name()).containsExactly("Kind of Blue");
        assertThat(blue.songs()).extracting(Song::title).containsExactly("Blue in Green");
        assertThat(await(catalog.search("green blue", 10)).songs()).extracting(Song::title).containsExactly("Blue in Green");
        assertThat(await(catalog.search("fre", 10)).songs()).extracting(Song::title).containsExactly("Freddie Freeloader");
        assertThat(await(catalog.search("lue", 10)).songs()).isEmpty();
        assertThat(await(catalog.search("  ", 10)).songs()).isEmpty();
        assertThat(await(catalog.search("blue", 0)).albums()).isEmpty();
    }

    @Test
    public void searchRanksWholeWordsFirstAndHonoursTheLimit() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add("A/B/" + String.format("%02d", i) + " Bluesy " + i + ".mp3");
        }
        keys.add("A/B/99 Blue.mp3");
        put(keys.toArray(String[]::new));
        SearchResult r = await(catalog.search("blue", 5));
        assertThat(r.songs()).hasSize(5);
        assertThat(r.songs().get(0).title()).isEqualTo("Blue");
    }

    @Test
    public void aLateOlderPutNeverResurrectsADeletedKey() {
        Song s = song("A/B/1.mp3");
        assertThat(await(catalog.upsert(s, Guard.event("0010")))).isTrue();
        assertThat(await(catalog.remove(s.key(), Guard.event("0030")))).isTrue();
        assertThat(await(catalog.upsert(s, Guard.event("0020")))).isFalse();
        assertThat(await(catalog.song(s.id()))).isEmpty();
        assertThat(await(catalog.upsert(s, Guard.event("004")))).isTrue(); // "004" pads to "0040": newer
        assertThat(await(catalog.song(s.id()))).isPresent();
    }

    /** Walks every step of a prune (bounded: a step per 1 key state at worst). */
    private long pruneAll(int count, long before) {
        long pruned = 0;
        String cursor = null;
        for (int steps = 0; steps < 10_000; steps++) {
            CatalogWriter.PruneStep step = await(catalog.pruneTombstones(cursor, count, before));
            pruned += step.pruned();
            cursor = step.cursor();
            if (cursor == null) {
                return pruned;
            }
        }
        throw new AssertionError("prune walk did not end");
    }

    @Test
    public void pruningForgetsOnlyTombstonesOlderThanTheCutoff() {
        Song gone = song("A/B/1.mp3");
        Song kept = song("A/B/2.mp3");
        assertThat(await(catalog.upsert(gone, Guard.event("0010")))).isTrue();
        assertThat(await(catalog.remove(gone.key(), Guard.event("0030")))).isTrue();
        assertThat(await(catalog.upsert(kept, Guard.event("0030")))).isTrue();
        // cutoff before the tombstone was recorded: nothing pruned, a late older put is still refused
        long past = await(catalog.clock()) - 86_400_000L;
        assertThat(pruneAll(10, past)).isZero();
        assertThat(await(catalog.upsert(gone, Guard.event("0020")))).isFalse();
        // cutoff after it: the tombstone goes; the held key keeps its state (an older event is still refused)
        long later = await(catalog.clock()) + 1000;
        assertThat(pruneAll(10, later)).isEqualTo(1);
        assertThat(pruneAll(10, later)).isZero();
        assertThat(await(catalog.upsert(kept, Guard.event("0020")))).isFalse();
        assertThat(await(catalog.song(kept.id()))).isPresent();
        // the forgotten key takes any event again (no event that old can still arrive once past the retention)
        assertThat(await(catalog.upsert(gone, Guard.event("0020")))).isTrue();
    }

    @Test
    public void pruningWalksManyTombstonesInBoundedSteps() {
        for (int i = 0; i < 250; i++) {
            assertThat(await(catalog.remove("A/B/" + i + ".mp3", Guard.event("01")))).isFalse(); // tombstone only
        }
        put("A/B/keep.mp3");
        long later = await(catalog.clock()) + 1000;
        assertThat(pruneAll(7, later)).isEqualTo(250);
        for (int i = 0; i < 250; i += 50) {
            assertThat(await(catalog.upsert(song("A/B/" + i + ".mp3"), Guard.event("00")))).isTrue();
        }
        assertThat(await(catalog.size())).isEqualTo(6);
    }

    @Test
    public void deleteBeforePutByArrivalStillEndsWithTheNewerPut() {
        Song s = song("A/B/1.mp3");
        assertThat(await(catalog.remove(s.key(), Guard.event("0030")))).isFalse(); // nothing there yet: tombstone
        assertThat(await(catalog.upsert(s, Guard.event("0020")))).isFalse(); // older put arrives late
        assertThat(await(catalog.song(s.id()))).isEmpty();
        assertThat(await(catalog.upsert(s, Guard.event("0040")))).isTrue();
        assertThat(await(catalog.remove(s.key(), Guard.event("0035")))).isFalse(); // older delete arrives late
        assertThat(await(catalog.song(s.id()))).isPresent();
    }

    /**
     * Sequencers a forged event planted before events were checked (issue 9 item 7): not 1 to 32 hex digits. The
     * catalog's own write path still takes them (the decoder refuses them now), which is how they are planted here.
     */
    private static final List<String> BOGUS_SEQUENCERS = List.of(
        "F".repeat(64), "F".repeat(33), "FFFF\r\nX-Evil: injected", "12|34", "0x10", "");

    @Test
    public void aStoredSequencerThatIsNotWellFormedCountsAsAbsentAndTheNextGenuineEventReplacesIt() {
        int n = 0;
        for (String bogus : BOGUS_SEQUENCERS) {
            Song s = song("A/B/" + n++ + ".mp3");
            Song retitled = s.withTags(new SongTags("Genuine", null, null, null, null, null, null, null, false));
            assertThat(await(catalog.upsert(s, Guard.event(bogus)))).as("planted %s", bogus).isTrue();
            // a genuine later event, older than the bogus one by the comparison: applied, and its sequencer kept
            assertThat(await(catalog.upsert(retitled, Guard.event("0010")))).as("after %s", bogus).isTrue();
            assertThat(await(catalog.song(s.id())).orElseThrow().title()).isEqualTo("Genuine");
            assertThat(await(catalog.upsert(s, Guard.event("0010")))).as("duplicate after %s", bogus).isFalse();
            assertThat(await(catalog.upsert(s, Guard.event("0005")))).as("older after %s", bogus).isFalse();
            assertThat(await(catalog.song(s.id())).orElseThrow().title()).isEqualTo("Genuine");
        }
    }

    @Test
    public void aBogusTombstoneNeitherBlocksAGenuineUploadNorAReconcile() {
        Song s = song("A/B/1.mp3");
        assertThat(await(catalog.upsert(s, Guard.event("0010")))).isTrue();
        assertThat(await(catalog.remove(s.key(), Guard.event("F".repeat(64))))).isTrue(); // a forged delete
        assertThat(await(catalog.upsert(s, Guard.event("0020")))).isTrue();
        assertThat(await(catalog.song(s.id()))).isPresent();
        assertThat(await(catalog.remove(s.key(), Guard.event("0015")))).as("older than the genuine put").isFalse();

        Song t = song("A/B/2.mp3");
        long before = await(catalog.clock());
        assertThat(await(catalog.remove(t.key(), Guard.event("zz")))).isFalse(); // a bogus tombstone, nothing held
        assertThat(await(catalog.upsert(t, Guard.reconcile(before)))).as("the bogus event counts as absent").isTrue();
        assertThat(await(catalog.song(t.id()))).isPresent();
    }

    @Test
    public void pruningForgetsABogusTombstoneToo() {
        assertThat(await(catalog.remove("A/B/1.mp3", Guard.event("12|34")))).isFalse(); // tombstone only
        assertThat(await(catalog.remove("A/B/2.mp3", Guard.event("F".repeat(64))))).isFalse();
        assertThat(pruneAll(10, await(catalog.clock()) + 1000)).isEqualTo(2);
    }

    @Test
    public void aWellFormedForgedSequencerStillRefusesOlderEvents() {
        // the shape is all the catalog can judge: 32 hex digits is a sequencer (only the queue policy keeps it out)
        Song s = song("A/B/1.mp3");
        assertThat(await(catalog.upsert(s, Guard.event("F".repeat(32))))).isTrue();
        Song retitled = s.withTags(new SongTags("Genuine", null, null, null, null, null, null, null, false));
        assertThat(await(catalog.upsert(retitled, Guard.event("0010")))).isFalse();
        assertThat(await(catalog.song(s.id())).orElseThrow().title()).isNotEqualTo("Genuine");
    }

    @Test
    public void duplicateEventsChangeNothing() {
        Song s = song("A/B/1.mp3");
        assertThat(await(catalog.upsert(s, Guard.event("0A")))).isTrue();
        assertThat(await(catalog.upsert(s, Guard.event("0A")))).isFalse();
        assertThat(await(catalog.upsert(s, Guard.event("0A0")))).isFalse(); // same sequencer once padded
        assertThat(await(catalog.size())).isEqualTo(1);
    }

    @Test
    public void reconcileWritesYieldToEventsSinceTheReconcileStarted() {
        Song a = song("A/B/1.mp3");
        Song b = song("A/B/2.mp3");
        long before = await(catalog.clock());
        assertThat(await(catalog.upsert(a, Guard.event("01")))).isTrue();
        assertThat(await(catalog.remove(b.key(), Guard.event("01")))).isFalse();
        long since = await(catalog.clock()) + 1;
        assertThat(await(catalog.remove(a.key(), Guard.reconcile(before)))).isFalse(); // the event is fresher
        assertThat(await(catalog.upsert(b, Guard.reconcile(before)))).isFalse(); // the tombstone is fresher
        assertThat(await(catalog.song(a.id()))).isPresent();
        assertThat(await(catalog.upsert(b, Guard.reconcile(since)))).isTrue(); // older events: the listing wins
        assertThat(await(catalog.song(b.id()))).isPresent();
    }

    @Test
    public void albumArtPrefersCoverOverFolderAndLeavesOnRemove() {
        put("A/B/1.mp3");
        String album = Ids.album("A", "B");
        assertThat(await(catalog.albumArt(album))).isEmpty();
        assertThat(await(catalog.upsertArt("A/B/folder.jpg", Guard.event("01")))).isTrue();
        assertThat(await(catalog.upsertArt("A/B/Cover.PNG", Guard.none()))).isTrue();
        assertThat(await(catalog.upsertArt("A/B/Cover.PNG", Guard.none()))).isFalse();
        assertThat(await(catalog.albumArt(album))).contains("A/B/Cover.PNG");
        assertThat(await(catalog.remove("A/B/Cover.PNG", Guard.event("02")))).isTrue();
        assertThat(await(catalog.albumArt(album))).contains("A/B/folder.jpg");
        assertThat(await(catalog.upsertArt("A/B/Cover.PNG", Guard.event("01")))).isFalse(); // older than the delete
    }

    @Test
    public void keysArePagedAndSongsFoundByKey() {
        put("A/B/1.mp3", "A/B/2.mp3", "C/D/3.mp3", "C/D/4.mp3", "E/F/5.mp3");
        await(catalog.upsertArt("A/B/cover.jpg", Guard.none()));
        List<String> all = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 10; i++) {
            Catalog.KeyPage p = await(catalog.keys(cursor, 2));
            all.addAll(p.keys());
            cursor = p.cursor();
            if (cursor == null) {
                break;
            }
        }
        assertThat(all).containsExactlyInAnyOrder("A/B/1.mp3", "A/B/2.mp3", "C/D/3.mp3", "C/D/4.mp3", "E/F/5.mp3", "A/B/cover.jpg");
        assertThat(await(catalog.songsByKey(List.of("A/B/1.mp3", "X/Y/z.mp3"))))
            .containsOnlyKeys("A/B/1.mp3").containsValue(song("A/B/1.mp3"));
    }

    @Test
    public void songsWithUnicodeAndSymbolsInKeysRoundTrip() {
        String key = "AC/DC x/a+b/100% c #1 'q'?.mp3";
        Optional<SongKey> k = SongKey.parse(key);
        if (k.isEmpty()) {
            key = "AC DC/a+b/100% c #1 'q'.mp3";
        }
        Song s = song(key);
        put(key);
        assertThat(await(catalog.song(s.id()))).contains(s);
    }
}
