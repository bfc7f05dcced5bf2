package dev.s3music.userdata;

import dev.s3music.model.DomainException;
import dev.s3music.model.Page;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.PlaylistChange;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.model.user.UserLibrary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One behaviour suite for {@link StoredUserDataService} on every pair of document store and cache: memory, S3Proxy,
 * Redis (redis-store). Each test gets a fresh store ({@link #newStore}) and builds instances with their own cache
 * ({@link #newCache}), as separate API processes would have (or share one Redis).
 */
public abstract class UserDataServiceContractTest {

    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final String SONG_A = "QS9CL2Euc3Bj";
    protected static final String SONG_B = "QS9CL2Iub2dn";
    protected static final String SONG_C = "QS9CL2MuZmxhYw";

    protected Vertx vertx;
    protected DocumentStore store;
    protected final MutableClock clock = new MutableClock(T0);

    /** A fresh, empty document store for one test. */
    protected abstract DocumentStore newStore();

    /** The cache of one more instance (a new in-memory one, or one over the shared Redis). */
    protected abstract UserDataCache newCache();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        store = newStore();
    }

    @AfterEach
    void stopVertx() {
        await(vertx.close());
    }

    protected StoredUserDataService instance() {
        return instance(UserDataConfig.defaults());
    }

    protected StoredUserDataService instance(UserDataConfig config) {
        return new StoredUserDataService(vertx, store, newCache(), config, clock);
    }

    @Test
    void starsUnstarsAndRatesKeepingTheFirstStarTime() {
        StoredUserDataService s = instance();
        await(s.star("ana", ItemKind.SONG, List.of(SONG_A, SONG_B)));
        clock.advance(Duration.ofMinutes(5));
        await(s.star("ana", ItemKind.SONG, List.of(SONG_A)));
        await(s.star("ana", ItemKind.ALBUM, List.of(SONG_A)));
        await(s.unstar("ana", ItemKind.SONG, List.of(SONG_B)));
        await(s.rate("ana", ItemKind.ARTIST, SONG_C, 4));
        await(s.rate("ana", ItemKind.SONG, SONG_A, 5));
        await(s.rate("ana", ItemKind.SONG, SONG_A, 0));

        UserLibrary lib = await(s.library("Ana")); // one user whatever the case
        assertThat(lib.starred().get(ItemKind.SONG)).containsOnlyKeys(SONG_A);
        assertThat(lib.starredAt(ItemKind.SONG, SONG_A)).isEqualTo(T0);
        assertThat(lib.starredAt(ItemKind.ALBUM, SONG_A)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(lib.rating(ItemKind.ARTIST, SONG_C)).isEqualTo(4);
        assertThat(lib.rating(ItemKind.SONG, SONG_A)).isNull();
        // another instance (its own cache) reads the same from the store
        assertThat(await(instance().library("ana")).starred()).isEqualTo(lib.starred());
        assertThat(await(s.library("bob")).starred().get(ItemKind.SONG)).isEmpty();
    }

    @Test
    void badInputIsInvalidAndChangesNothing() {
        StoredUserDataService s = instance();
        await(s.rate("ana", ItemKind.SONG, SONG_A, 3));
        Playlist p = await(s.createPlaylist("ana", "Etudes", null, false, List.of(SONG_A)));
        assertInvalid(s.rate("ana", ItemKind.SONG, SONG_A, 7));
        assertInvalid(s.rate("ana", ItemKind.SONG, SONG_A, -1));
        assertInvalid(s.rate("ana", ItemKind.SONG, "../../etc", 3));
        assertInvalid(s.star("ana", ItemKind.SONG, List.of("")));
        assertInvalid(s.createPlaylist("ana", "  ", null, false, List.of()));
        assertInvalid(s.createPlaylist("ana", "x".repeat(201), null, false, List.of()));
        assertInvalid(s.updatePlaylist("ana", p.id(), change(List.of(1), List.of(SONG_B))));
        assertInvalid(s.updatePlaylist("ana", p.id(), new PlaylistChange("", null, null, null, null, null, null)));
        assertInvalid(s.saveQueue("ana", new PlayQueue(List.of(SONG_A), 1, 0, null, "web")));
        assertInvalid(s.saveQueue("ana", new PlayQueue(List.of(SONG_A), 0, -5, null, "web")));
        assertInvalid(s.mostPlayed("ana", 0, 0));

        assertThat(await(s.library("ana")).rating(ItemKind.SONG, SONG_A)).isEqualTo(3);
        Playlist again = await(s.playlist("ana", p.id())).orElseThrow();
        assertThat(again.songIds()).containsExactly(SONG_A);
        assertThat(again.version()).isEqualTo(p.version());
        assertThat(await(s.queue("ana"))).isEqualTo(PlayQueue.empty());
    }

    @Test
    void playsAreCountedAtOnceAndWrittenAtMostOncePerIntervalPerUser() {
        CountingDocumentStore counting = new CountingDocumentStore(store);
        StoredUserDataService s = new StoredUserDataService(vertx, counting, newCache(), UserDataConfig.defaults(), clock);
        await(s.played("ana", SONG_A, null));
        await(s.played("ana", SONG_A, T0.minusSeconds(30)));
        await(s.played("ana", SONG_B, T0.minusSeconds(10)));
        await(s.played("bob", SONG_C, T0.plusSeconds(3600))); // in the future: taken as now
        assertThat(counting.writes()).isZero();

        Page<String> most = await(s.mostPlayed("ana", 0, 10));
        assertThat(most.items()).containsExactly(SONG_A, SONG_B);
        assertThat(await(s.recentlyPlayed("ana", 0, 10)).items()).containsExactly(SONG_A, SONG_B);
        assertThat(await(s.library("ana")).plays(SONG_A).count()).isEqualTo(2);
        assertThat(await(s.library("ana")).plays(SONG_A).lastPlayed()).isEqualTo(T0);
        assertThat(await(s.library("bob")).plays(SONG_C).lastPlayed()).isEqualTo(T0);

        await(s.flushDue()); // both users: their first write
        assertThat(counting.writes()).isEqualTo(2);
        await(s.played("ana", SONG_B, null));
        await(s.flushDue()); // ana wrote less than a minute ago: nothing
        assertThat(counting.writes()).isEqualTo(2);
        assertThat(await(s.library("ana")).plays(SONG_B).count()).isEqualTo(2); // still counted
        clock.advance(Duration.ofSeconds(61));
        await(s.flushDue());
        assertThat(counting.writes()).isEqualTo(3);
        assertThat(s.hasBufferedPlays()).isFalse();

        // what was written is what another instance reads
        StoredUserDataService other = instance();
        assertThat(await(other.library("ana")).plays(SONG_B).count()).isEqualTo(2);
        assertThat(await(other.mostPlayed("ana", 0, 1))).isEqualTo(new Page<>(List.of(SONG_A), 0, 1, 2));
        assertThat(await(other.mostPlayed("ana", 1, 1)).items()).containsExactly(SONG_B);
    }

    @Test
    void playsOfTwoInstancesAddUp() {
        StoredUserDataService a = instance();
        StoredUserDataService b = instance();
        for (int i = 0; i < 5; i++) {
            await(a.played("ana", SONG_A, null));
            await(b.played("ana", SONG_A, null));
        }
        await(Future.all(a.flush(), b.flush()));
        assertThat(await(instance().library("ana")).plays(SONG_A).count()).isEqualTo(10);
    }

    @Test
    void theQueueIsKeptForAnotherDevice() {
        StoredUserDataService laptop = instance();
        PlayQueue saved = await(laptop.saveQueue("ana", new PlayQueue(List.of(SONG_A, SONG_B, SONG_A), 2, 61_000,
            null, "web")));
        assertThat(saved.changedAt()).isEqualTo(T0);
        PlayQueue onPhone = await(instance().queue("ana"));
        assertThat(onPhone).isEqualTo(saved);
        assertThat(await(laptop.saveQueue("ana", new PlayQueue(List.of(), 0, 0, null, "DSub"))).current())
            .isEqualTo(-1);
    }

    @Test
    void playlistsArePrivateUnlessPublicAndOnlyTheOwnerChangesThem() {
        StoredUserDataService s = instance();
        Playlist mine = await(s.createPlaylist("ana", "Etudes", "for Tuesday", false, List.of(SONG_A, SONG_A)));
        Playlist shared = await(s.createPlaylist("ana", "Scales", null, true, List.of(SONG_B)));
        Playlist bobs = await(s.createPlaylist("bob", "Bob's", null, false, List.of()));
        assertThat(mine.id()).matches("[A-Za-z0-9_-]{16}").isNotEqualTo(shared.id());
        assertThat(mine.songIds()).containsExactly(SONG_A, SONG_A);

        assertThat(await(s.playlists("ana"))).extracting(Playlist::name).containsExactly("Etudes", "Scales");
        assertThat(await(s.playlists("bob"))).extracting(Playlist::name).containsExactly("Bob's", "Scales");
        assertThat(await(s.playlist("bob", mine.id()))).isEmpty();
        assertThat(await(s.playlist("bob", shared.id()))).isPresent();
        assertThat(await(s.playlist("bob", "../users"))).isEmpty();
        assertNotFound(s.updatePlaylist("bob", mine.id(), change(List.of(), List.of(SONG_C))));
        assertNotFound(s.updatePlaylist("bob", shared.id(), change(List.of(), List.of(SONG_C))));
        assertNotFound(s.deletePlaylist("bob", mine.id()));
        assertNotFound(s.deletePlaylist("bob", shared.id()));
        assertThat(await(s.playlist("ana", mine.id())).orElseThrow().songIds()).containsExactly(SONG_A, SONG_A);

        clock.advance(Duration.ofMinutes(1));
        Playlist changed = await(s.updatePlaylist("ana", mine.id(), new PlaylistChange("Etudes op. 10", null, true,
            List.of(0), List.of(SONG_B, SONG_C), null, mine.version())));
        assertThat(changed.songIds()).containsExactly(SONG_A, SONG_B, SONG_C);
        assertThat(changed.isPublic()).isTrue();
        assertThat(changed.changed()).isAfter(changed.created());
        assertThat(changed.version()).isNotEqualTo(mine.version());
        // If-Match on the old version: refused, nothing changes
        DomainException stale = failure(s.updatePlaylist("ana", mine.id(), new PlaylistChange(null, null, null,
            null, List.of(SONG_A), null, mine.version())));
        assertThat(stale.kind()).isEqualTo(DomainException.Kind.PRECONDITION_FAILED);
        Playlist reordered = await(s.updatePlaylist("ana", mine.id(), new PlaylistChange(null, null, null, null, null,
            List.of(SONG_C, SONG_A), changed.version())));
        assertThat(reordered.songIds()).containsExactly(SONG_C, SONG_A);

        await(s.deletePlaylist("ana", mine.id()));
        assertThat(await(s.playlist("ana", mine.id()))).isEmpty();
        assertThat(await(instance().playlist("ana", mine.id()))).isEmpty();
        assertNotFound(s.deletePlaylist("ana", mine.id()));
        assertThat(await(s.playlists("ana"))).extracting(Playlist::id).containsExactly(shared.id());
        assertThat(bobs.owner()).isEqualTo("bob");
    }

    @Test
    void twoInstancesEditingOnePlaylistAtOnceLoseNoEntry() {
        StoredUserDataService a = instance();
        StoredUserDataService b = instance();
        Playlist p = await(a.createPlaylist("ana", "Lesson", null, false, List.of()));
        await(b.playlist("ana", p.id())); // b caches the empty version: its first writes are conflicts
        List<Future<Playlist>> edits = new ArrayList<>();
        int each = 12;
        for (int i = 0; i < each; i++) {
            edits.add(a.updatePlaylist("ana", p.id(), change(List.of(), List.of(SONG_A))));
            edits.add(b.updatePlaylist("ana", p.id(), change(List.of(), List.of(SONG_B))));
        }
        await(Future.all(edits));
        Playlist end = await(instance().playlist("ana", p.id())).orElseThrow();
        assertThat(end.songIds()).hasSize(2 * each);
        assertThat(end.songIds().stream().filter(SONG_A::equals).count()).isEqualTo(each);
        // and both instances read the last version (b's cache caught up through its own writes and conflicts)
        assertThat(await(a.playlists("ana")).get(0).songIds()).hasSize(2 * each);
    }

    @Test
    void exportHoldsEverythingOfTheUser() {
        StoredUserDataService s = instance();
        await(s.star("ana", ItemKind.SONG, List.of(SONG_A)));
        await(s.rate("ana", ItemKind.ALBUM, SONG_B, 2));
        await(s.played("ana", SONG_C, null));
        await(s.saveQueue("ana", new PlayQueue(List.of(SONG_C), 0, 5, null, "web")));
        await(s.createPlaylist("ana", "Private", null, false, List.of(SONG_A)));
        await(s.createPlaylist("bob", "Not hers", null, true, List.of(SONG_A)));
        JsonObject e = await(s.export("ana"));
        assertThat(e.getString("username")).isEqualTo("ana");
        assertThat(e.getJsonObject("starred").getJsonObject("songs").getString(SONG_A)).isEqualTo(T0.toString());
        assertThat(e.getJsonObject("ratings").getJsonObject("albums").getInteger(SONG_B)).isEqualTo(2);
        assertThat(e.getJsonObject("plays").getJsonObject(SONG_C).getLong("count")).isEqualTo(1);
        assertThat(e.getJsonObject("queue").getJsonArray("songIds").getList()).containsExactly(SONG_C);
        assertThat(e.getJsonArray("playlists")).hasSize(1);
        assertThat(e.getJsonArray("playlists").getJsonObject(0).getString("name")).isEqualTo("Private");
        JsonObject none = await(s.export("nobody"));
        assertThat(none.getJsonArray("playlists")).isEmpty();
        assertThat(none.getJsonObject("plays")).isEmpty();
    }

    @Test
    void aLongPlaylistStaysOrderedWithRepeats() {
        StoredUserDataService s = instance();
        List<String> ids = IntStream.range(0, 2000).mapToObj(i -> i % 2 == 0 ? SONG_A : "S" + i).toList();
        Playlist p = await(s.createPlaylist("ana", "Long", null, false, ids));
        assertThat(await(instance().playlist("ana", p.id())).orElseThrow().songIds()).isEqualTo(ids);
        assertInvalid(s.createPlaylist("ana", "Too long", null, false,
            IntStream.range(0, 5001).mapToObj(i -> SONG_A).toList()));
    }

    protected static PlaylistChange change(List<Integer> remove, List<String> append) {
        return new PlaylistChange(null, null, null, remove, append, null, null);
    }

    protected static void assertInvalid(Future<?> f) {
        assertThat(failure(f).kind()).isEqualTo(DomainException.Kind.INVALID);
    }

    protected static void assertNotFound(Future<?> f) {
        assertThat(failure(f).kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static DomainException failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DomainException.class);
            return (DomainException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }
}
