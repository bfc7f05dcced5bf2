package dev.s3music.model.port;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.DomainException;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Ids;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.SearchWords;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;

import dev.s3music.model.port.CatalogWriter.Guard;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    public void searchWalksTheRarestWordSoAShortRareWordBesideACommonLongOneIsFound() {
        // more than SCAN_CAP artists, albums and songs share the long word; only one has the short rare word,
        // and it sorts after all of them under the common word
        int n = SearchWords.SCAN_CAP + 100;
        for (int i = 0; i < n; i++) {
            String name = String.format("Wonderful %04d", i);
            assertThat(await(catalog.upsert(song(name + "/" + name + "/" + name + ".mp3")))).isTrue();
        }
        put("Wonderful Zed/Wonderful Zed/Wonderful Zed.mp3");
        SearchResult r = await(catalog.search("wonderful zed", 10));
        assertThat(r.artists()).extracting(ArtistSummary::name).containsExactly("Wonderful Zed");
        assertThat(r.albums()).extracting(x -> x.name()).containsExactly("Wonderful Zed");
        assertThat(r.songs()).extracting(Song::title).containsExactly("Wonderful Zed");
        assertThat(await(catalog.search("ze wonder", 10)).songs()).extracting(Song::title).containsExactly("Wonderful Zed");
        // the common word alone still answers, bounded by the limit, whole words first
        SearchResult common = await(catalog.search("wonderful", 5));
        assertThat(common.artists()).extracting(ArtistSummary::name)
            .containsExactly("Wonderful 0000", "Wonderful 0001", "Wonderful 0002", "Wonderful 0003", "Wonderful 0004");
        assertThat(common.songs()).hasSize(5);
        assertThat(await(catalog.search("wonderful 2050", 10)).albums()).extracting(x -> x.name()).containsExactly("Wonderful 2050");
        assertThat(await(catalog.search("wonderful zzz", 10)).songs()).isEmpty();
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

    // ---- lists (CatalogLists) ----

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    /** A song with tags: year, genre, duration; added {@code addedDay} days after T0. */
    protected static Song tagged(String key, Integer year, String genre, Integer seconds, int addedDay) {
        return song(key).withTags(new SongTags(null, null, null, null, null, year, genre, seconds, false))
            .withAddedAt(T0.plusSeconds(86_400L * addedDay));
    }

    private void putAll(Song... songs) {
        for (Song s : songs) {
            assertThat(await(catalog.upsert(s))).isTrue();
        }
    }

    private List<String> albumNames(AlbumQuery q, int offset, int limit) {
        return await(catalog.albums(q, offset, limit)).items().stream().map(AlbumInfo::name).toList();
    }

    /** Five albums of three artists with years, genres and added days. */
    private void library() {
        putAll(tagged("Zoe/Beta/1.mp3", 1999, "Rock", 100, 1), tagged("Zoe/Beta/2.mp3", 1999, "Rock", 50, 2),
            tagged("Zoe/alpha/1.mp3", 1970, "Jazz", 10, 3),
            tagged("Ana/Gamma/1.mp3", 2010, "rock", 20, 4),
            tagged("Ana/Écho/1.mp3", null, null, null, 0),
            tagged("Mo/Delta/1.mp3", 1985, "Jàzz", 30, 5));
    }

    @Test
    public void albumsAreListedByNameArtistAddedAndYearWithWhatTheyHold() {
        library();
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 10))
            .containsExactly("alpha", "Beta", "Delta", "Écho", "Gamma");
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.ARTIST), 0, 10))
            .containsExactly("Écho", "Gamma", "Delta", "alpha", "Beta");
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.ADDED), 0, 10))
            .containsExactly("Delta", "Gamma", "alpha", "Beta", "Écho");
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.YEAR), 0, 10))
            .as("albums without a year are left out").containsExactly("alpha", "Delta", "Beta", "Gamma");
        Page<AlbumInfo> page = await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 1, 1));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.offset()).isEqualTo(1);
        AlbumInfo beta = page.items().get(0);
        assertThat(beta).isEqualTo(new AlbumInfo(Ids.album("Zoe", "Beta"), "Beta", new ArtistSummary(Ids.artist("Zoe"), "Zoe"),
            2, 150, 1999, "Rock", T0.plusSeconds(2 * 86_400L), null));
        AlbumInfo echo = await(catalog.albumInfos(List.of(Ids.album("Ana", "Écho")))).get(Ids.album("Ana", "Écho"));
        assertThat(echo.durationSeconds()).isZero();
        assertThat(echo.year()).isNull();
        assertThat(echo.genre()).isNull();
        assertThat(echo.addedAt()).isEqualTo(T0);
        assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 5, 10)).items()).isEmpty();
        assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 0)).total()).isEqualTo(5);
    }

    @Test
    public void pagingThroughEveryOrderNeverRepeatsOrSkipsAnAlbum() {
        List<Song> songs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // equal names, years and added times: ties broken by album id
            songs.add(tagged("Artist " + (i % 3) + "/Same/" + i + ".mp3", 2000 + i % 2, "Pop", 1, 0));
            songs.add(tagged("Artist " + i + "/Album " + (i % 5) + "/x.mp3", 2000 + i % 4, i % 2 == 0 ? "Pop" : "Folk", 1, i % 3));
        }
        putAll(songs.toArray(Song[]::new));
        List<AlbumQuery> queries = List.of(AlbumQuery.of(AlbumQuery.Order.NAME), AlbumQuery.of(AlbumQuery.Order.ARTIST),
            AlbumQuery.of(AlbumQuery.Order.ADDED), AlbumQuery.of(AlbumQuery.Order.YEAR),
            new AlbumQuery(AlbumQuery.Order.YEAR, "pop", 2003, 2000), new AlbumQuery(AlbumQuery.Order.NAME, null, 2001, 2002),
            new AlbumQuery(AlbumQuery.Order.ADDED, "POP", null, null));
        for (AlbumQuery q : queries) {
            Page<AlbumInfo> all = await(catalog.albums(q, 0, 1000));
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < all.total() + 7; offset += 7) {
                Page<AlbumInfo> p = await(catalog.albums(q, offset, 7));
                assertThat(p.total()).as("%s", q).isEqualTo(all.total());
                p.items().forEach(a -> paged.add(a.id()));
            }
            assertThat(paged).as("%s", q).isEqualTo(all.items().stream().map(AlbumInfo::id).toList()).doesNotHaveDuplicates();
            assertThat(all.total()).as("%s", q).isPositive();
        }
        assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 1000)).total()).isEqualTo(43);
    }

    @Test
    public void anAlbumTakesTheMostCommonYearAndGenreOfItsSongs() {
        putAll(tagged("A/B/1.mp3", 2001, "Jazz", 1, 0), tagged("A/B/2.mp3", 2001, "jazz", 1, 0),
            tagged("A/B/3.mp3", 1999, "JAZZ", 1, 0), tagged("A/B/4.mp3", 1999, "Blues", 1, 0),
            tagged("A/B/5.mp3", null, "Blues", 1, 0), tagged("A/B/6.mp3", 12345, "  ", 1, 0));
        AlbumInfo b = await(catalog.albumInfos(List.of(Ids.album("A", "B")))).get(Ids.album("A", "B"));
        assertThat(b.year()).as("a tie: the smaller year").isEqualTo(1999);
        assertThat(b.genre()).as("the key with most songs, its spelling first in byte order on a tie").isEqualTo("JAZZ");
        assertThat(b.songCount()).isEqualTo(6);
        assertThat(b.durationSeconds()).isEqualTo(6);
        await(catalog.remove("A/B/3.mp3"));
        b = await(catalog.albumInfos(List.of(Ids.album("A", "B")))).get(Ids.album("A", "B"));
        assertThat(b.year()).isEqualTo(2001);
        assertThat(b.genre()).as("jazz and blues tie on keys: blues first").isEqualTo("Blues");
    }

    @Test
    public void albumsAreFilteredByGenreWhateverItsCaseAndAccentsAndByYears() {
        library();
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, "ROCK", null, null), 0, 10)).containsExactly("Beta", "Gamma");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, "jazz", null, null), 0, 10)).containsExactly("alpha", "Delta");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.ADDED, "Jázz", null, null), 0, 10)).containsExactly("Delta", "alpha");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, "polka", null, null), 0, 10)).isEmpty();
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.YEAR, null, 1980, 2000), 0, 10)).containsExactly("Delta", "Beta");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.YEAR, null, 2020, 1900), 0, 10))
            .as("from > to: newest first").containsExactly("Gamma", "Beta", "Delta", "alpha");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, null, 1970, 1999), 0, 10)).containsExactly("alpha", "Beta", "Delta");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.ARTIST, "rock", 2000, 2100), 0, 10)).containsExactly("Gamma");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.YEAR, "jazz", 1999, 1900), 0, 10)).containsExactly("Delta", "alpha");
        assertThat(await(catalog.albums(new AlbumQuery(AlbumQuery.Order.NAME, null, 1980, 2000), 1, 1)).total()).isEqualTo(2);
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.YEAR, null, -50, 0), 0, 10)).as("no real year").isEmpty();
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.YEAR, null, -50, 1975), 0, 10)).containsExactly("alpha");
    }

    @Test
    public void randomAlbumsAreDistinctAndHonourTheFilters() {
        library();
        for (int i = 0; i < 5; i++) {
            Page<AlbumInfo> all = await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.RANDOM), 0, 10));
            assertThat(all.items()).extracting(AlbumInfo::name).containsExactlyInAnyOrder("alpha", "Beta", "Delta", "Écho", "Gamma");
            assertThat(all.total()).isEqualTo(5);
            assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.RANDOM), 0, 2)).items()).hasSize(2).doesNotHaveDuplicates();
            assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.RANDOM), 4, 3)).items()).hasSize(1);
            assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.RANDOM, "rock", null, null), 0, 10)).containsExactlyInAnyOrder("Beta", "Gamma");
            assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.RANDOM, null, 1980, 2000), 0, 10)).containsExactlyInAnyOrder("Beta", "Delta");
            assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.RANDOM, "jazz", 1980, 2000), 0, 10)).containsExactly("Delta");
        }
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 60 && firsts.size() < 2; i++) {
            firsts.add(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.RANDOM), 0, 1)).items().get(0).name());
        }
        assertThat(firsts).as("not always the same album").hasSizeGreaterThan(1);
    }

    @Test
    public void listsFollowUpsertsAndRemoves() {
        library();
        // Beta's songs re-tagged: it moves to Jazz and to 1960
        putAll(tagged("Zoe/Beta/1.mp3", 1960, "Jazz", 100, 1), tagged("Zoe/Beta/2.mp3", 1960, "Jazz", 50, 2));
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, "rock", null, null), 0, 10)).containsExactly("Gamma");
        assertThat(albumNames(new AlbumQuery(AlbumQuery.Order.NAME, "jazz", null, null), 0, 10)).containsExactly("alpha", "Beta", "Delta");
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.YEAR), 0, 10)).containsExactly("Beta", "alpha", "Delta", "Gamma");
        assertThat(await(catalog.genres())).containsExactly(new GenreCount("Jazz", 4, 3), new GenreCount("rock", 1, 1));
        // a newer song makes its album the most recently added
        putAll(tagged("Ana/Écho/2.mp3", null, null, 7, 9));
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.ADDED), 0, 1)).containsExactly("Écho");
        assertThat(await(catalog.albumInfos(List.of(Ids.album("Ana", "Écho")))).get(Ids.album("Ana", "Écho")).durationSeconds()).isEqualTo(7);
        // removing it: back to the older time
        await(catalog.remove("Ana/Écho/2.mp3"));
        assertThat(albumNames(AlbumQuery.of(AlbumQuery.Order.ADDED), 0, 10)).containsExactly("Delta", "Gamma", "alpha", "Beta", "Écho");
        // removing the last song of Delta: gone from every list and count
        await(catalog.remove("Mo/Delta/1.mp3"));
        for (AlbumQuery.Order order : AlbumQuery.Order.values()) {
            assertThat(albumNames(AlbumQuery.of(order), 0, 10)).as("%s", order).doesNotContain("Delta");
            assertThat(albumNames(new AlbumQuery(order, "jazz", 1900, 2100), 0, 10)).as("%s", order).doesNotContain("Delta");
        }
        assertThat(await(catalog.albumInfos(List.of(Ids.album("Mo", "Delta"))))).isEmpty();
        assertThat(await(catalog.songsByGenre("jazz", 0, 10)).items()).extracting(Song::key).doesNotContain("Mo/Delta/1.mp3");
        assertThat(await(catalog.genres())).containsExactly(new GenreCount("Jazz", 3, 2), new GenreCount("rock", 1, 1));
        await(catalog.remove("Ana/Gamma/1.mp3"));
        assertThat(await(catalog.genres())).containsExactly(new GenreCount("Jazz", 3, 2));
        assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 10)).total()).isEqualTo(3);
    }

    @Test
    public void genresCountSongsAndAlbumsUnderTheirMostCommonSpelling() {
        assertThat(await(catalog.genres())).isEmpty();
        putAll(tagged("A/B/1.mp3", null, "Électro", 1, 0), tagged("A/B/2.mp3", null, "electro", 1, 0),
            tagged("A/C/1.mp3", null, "electro ", 1, 0), tagged("A/C/2.mp3", null, "Ambient", 1, 0),
            tagged("A/C/3.mp3", null, "Ambient", 1, 0), tagged("A/D/1.mp3", null, "Ambient", 1, 0),
            tagged("A/E/1.mp3", null, null, 1, 0));
        assertThat(await(catalog.genres())).containsExactly(new GenreCount("Ambient", 3, 2), new GenreCount("electro", 3, 1));
    }

    @Test
    public void songsByGenreArePagedByArtistAlbumAndPlayOrder() {
        putAll(tagged("Zed/A/02 b.mp3", null, "Folk", 1, 0), tagged("Zed/A/01 a.mp3", null, "folk", 1, 0),
            tagged("Ábel/Z/CD2/01 x.mp3", null, "Folk", 1, 0), tagged("Ábel/Z/CD1/03 y.mp3", null, "Fólk", 1, 0),
            tagged("Ábel/B/1.mp3", null, "Folk", 1, 0), tagged("Ábel/B/2.mp3", null, "Rock", 1, 0),
            tagged("Loose.mp3", 2000, "FOLK", 1, 0));
        Page<Song> all = await(catalog.songsByGenre("FOLK", 0, 10));
        assertThat(all.items()).extracting(Song::key).containsExactly("Ábel/B/1.mp3", "Ábel/Z/CD1/03 y.mp3",
            "Ábel/Z/CD2/01 x.mp3", "Loose.mp3", "Zed/A/01 a.mp3", "Zed/A/02 b.mp3"); // "Unknown artist" before Zed
        assertThat(all.total()).isEqualTo(6);
        Page<Song> page = await(catalog.songsByGenre("folk", 2, 3));
        assertThat(page.items()).extracting(Song::key).containsExactly("Ábel/Z/CD2/01 x.mp3", "Loose.mp3", "Zed/A/01 a.mp3");
        assertThat(page.total()).isEqualTo(6);
        assertThat(page.items().get(0)).isEqualTo(tagged("Ábel/Z/CD2/01 x.mp3", null, "Folk", 1, 0));
        assertThat(await(catalog.songsByGenre("polka", 0, 10)).items()).isEmpty();
        await(catalog.upsert(tagged("Zed/A/01 a.mp3", null, "Rock", 1, 0)));
        assertThat(await(catalog.songsByGenre("folk", 0, 10)).items()).extracting(Song::key).doesNotContain("Zed/A/01 a.mp3");
        assertThat(await(catalog.songsByGenre("rock", 0, 10)).items()).extracting(Song::key).containsExactly("Ábel/B/2.mp3", "Zed/A/01 a.mp3");
    }

    @Test
    public void randomSongsAreDistinctAndHonourGenreAndYears() {
        List<Song> songs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            songs.add(tagged("A/B/" + i + ".mp3", i < 10 ? null : 1990 + i, i % 2 == 0 ? "Soul" : "Funk", 1, 0));
        }
        putAll(songs.toArray(Song[]::new));
        assertThat(await(catalog.randomSongs(100, null, null, null))).hasSize(30).doesNotHaveDuplicates();
        List<Song> five = await(catalog.randomSongs(5, null, null, null));
        assertThat(five).hasSize(5).doesNotHaveDuplicates();
        assertThat(songs).containsAll(five);
        assertThat(await(catalog.randomSongs(100, "SOUL", null, null))).hasSize(15)
            .allSatisfy(s -> assertThat(s.tags().genre()).isEqualTo("Soul"));
        assertThat(await(catalog.randomSongs(100, null, 2010, 2015))).extracting(s -> s.tags().year())
            .containsExactlyInAnyOrder(2010, 2011, 2012, 2013, 2014, 2015);
        assertThat(await(catalog.randomSongs(100, "funk", 2015, 2010))).extracting(s -> s.tags().year())
            .containsExactlyInAnyOrder(2011, 2013, 2015);
        assertThat(await(catalog.randomSongs(100, null, 2017, null))).extracting(s -> s.tags().year())
            .containsExactlyInAnyOrder(2017, 2018, 2019);
        assertThat(await(catalog.randomSongs(100, "soul", null, 2001))).extracting(s -> s.tags().year())
            .containsExactlyInAnyOrder(2000);
        assertThat(await(catalog.randomSongs(100, null, 3000, 4000))).isEmpty();
        assertThat(await(catalog.randomSongs(0, null, null, null))).isEmpty();
        assertThat(await(catalog.randomSongs(3, "polka", null, null))).isEmpty();
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 60 && firsts.size() < 2; i++) {
            firsts.add(await(catalog.randomSongs(1, "soul", 2000, 2030)).get(0).id());
        }
        assertThat(firsts).as("not always the same song").hasSizeGreaterThan(1);
    }

    @Test
    public void batchLookupsLeaveOutWhatIsMissing() {
        library();
        await(catalog.upsertArt("Zoe/Beta/folder.jpg", Guard.none()));
        await(catalog.upsertArt("Zoe/Beta/cover.png", Guard.none()));
        String beta = Ids.album("Zoe", "Beta");
        Map<String, AlbumInfo> infos = await(catalog.albumInfos(List.of(beta, Ids.album("No", "Such"), beta)));
        assertThat(infos).containsOnlyKeys(beta);
        assertThat(infos.get(beta).coverKey()).isEqualTo("Zoe/Beta/cover.png");
        assertThat(await(catalog.albums(new AlbumQuery(AlbumQuery.Order.NAME, "rock", null, null), 0, 1)).items().get(0).coverKey())
            .isEqualTo("Zoe/Beta/cover.png");
        Map<String, Song> songs = await(catalog.songs(List.of(Ids.song("Zoe/Beta/1.mp3"), Ids.song("No/Such/x.mp3"), "")));
        assertThat(songs).containsOnlyKeys(Ids.song("Zoe/Beta/1.mp3"));
        assertThat(songs.get(Ids.song("Zoe/Beta/1.mp3"))).isEqualTo(tagged("Zoe/Beta/1.mp3", 1999, "Rock", 100, 1));
        assertThat(await(catalog.songs(List.of()))).isEmpty();
        assertThat(await(catalog.albumInfos(List.of()))).isEmpty();
    }

    @Test
    public void listsRefuseBadArguments() {
        library();
        assertInvalid(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), -1, 10));
        assertInvalid(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, -1));
        assertInvalid(catalog.albums(new AlbumQuery(AlbumQuery.Order.NAME, " ", null, null), 0, 10));
        assertInvalid(catalog.songsByGenre("", 0, 10));
        assertInvalid(catalog.songsByGenre(null, 0, 10));
        assertInvalid(catalog.songsByGenre("rock", -3, 10));
        assertInvalid(catalog.songsByGenre("rock", 0, -10));
        assertInvalid(catalog.randomSongs(-1, null, null, null));
        assertInvalid(catalog.randomSongs(1, "\t", null, null));
        assertThat(await(catalog.albums(AlbumQuery.of(AlbumQuery.Order.NAME), 0, 10)).total()).isEqualTo(5);
    }

    private static void assertInvalid(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("succeeded: " + f.result());
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DomainException.class);
            assertThat(((DomainException) e.getCause()).kind()).isEqualTo(DomainException.Kind.INVALID);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
