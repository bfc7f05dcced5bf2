package dev.s3music.metadata;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The embedded default: worker and reader on in-memory adapters in one Vert.x, against the fake Discogs. */
class EmbeddedWorkerTest {

    private Vertx vertx;
    private FakeDiscogs fake;
    private InMemoryMetadataCache cache;
    private InMemoryLookupQueue queue;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        fake = Await.result(FakeDiscogs.start(vertx));
        fake.rateLimit(100_000);
        cache = new InMemoryMetadataCache();
        queue = new InMemoryLookupQueue();
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    private void deployWorker(String token, WorkerConfig adjust) {
        WorkerConfig cfg = adjust != null ? adjust : Workers.config(fake.baseUrl(), token, Duration.ofSeconds(30));
        Await.result(vertx.deployVerticle(DiscogsWorkerVerticle.discogs(cfg, WebClient.create(vertx),
            new InMemoryRateLimiter(100, Duration.ofSeconds(1), Duration.ZERO), queue, cache,
            new InMemoryDocumentStore())));
    }

    private CachedMetadataReader reader(boolean enabled) {
        return new CachedMetadataReader(vertx, ReaderConfig.defaults(enabled), cache);
    }

    private static final MetadataRef COLDPLAY = MetadataRef.artist(Ids.artist("Coldplay"), "Coldplay");

    @Test
    void aMissAnswersPendingAtOnceAndIsReadyOnALaterRequest() {
        deployWorker("token", null);
        CachedMetadataReader reader = reader(true);
        assertThat(Await.result(reader.metadata(COLDPLAY)).status()).isEqualTo(Metadata.Status.PENDING);
        Await.until("ready", Duration.ofSeconds(10),
            () -> Await.result(reader.metadata(COLDPLAY)).status() == Metadata.Status.READY);
        Metadata m = Await.result(reader.metadata(COLDPLAY));
        assertThat(m.data().getString("name")).isEqualTo("Coldplay");
        // the image link is Discogs' signed URL, untouched
        assertThat(m.data().getJsonArray("images").getJsonObject(0).getString("uri"))
            .startsWith("https://i.discogs.com/sBor9_gG6g8eU12WLhcoDn_N88zv3F5VXh8i_lkVaW0/");
        assertThat(fake.calls()).hasSize(2);
    }

    @Test
    void unknownArtistsAreNotFound() {
        deployWorker("token", null);
        CachedMetadataReader reader = reader(true);
        MetadataRef nobody = MetadataRef.artist(Ids.artist("Nobody At All"), "Nobody At All");
        Await.result(reader.metadata(nobody));
        Await.until("not found", Duration.ofSeconds(10),
            () -> Await.result(reader.metadata(nobody)).status() == Metadata.Status.NOT_FOUND);
    }

    @Test
    void withoutATokenMetadataIsUnavailableAndNothingIsCalled() {
        deployWorker(null, null);
        assertThat(Await.result(reader(false).metadata(COLDPLAY)).status()).isEqualTo(Metadata.Status.UNAVAILABLE);
        CachedMetadataReader reader = reader(true);
        Await.result(reader.metadata(COLDPLAY));
        Await.until("the worker's answer", Duration.ofSeconds(5),
            () -> Await.result(reader.metadata(COLDPLAY)).status() == Metadata.Status.UNAVAILABLE);
        vertx.eventBus().publish(Addresses.SONG_INDEXED, indexed("Coldplay/Parachutes/01 Yellow.mp3"));
        assertThat(fake.calls()).isEmpty();
    }

    private static SongIndexed indexed(String key) {
        return SongIndexed.of(Song.of(SongKey.parse(key).orElseThrow(), 1, "e", Instant.now()));
    }

    @Test
    void warmsUpTheArtistAlbumAndSongOfANewSongOnce() {
        deployWorker("token", null);
        SongIndexed s = indexed("DJ Healer/Nothing 2 Loose/03 2 The Dark.mp3");
        vertx.eventBus().publish(Addresses.SONG_INDEXED, s);
        String songKey = "song:" + s.songId();
        Await.until("the song", Duration.ofSeconds(10), () -> Await.result(cache.get(songKey)) != null);
        CacheEntry song = Await.result(cache.get(songKey));
        assertThat(song.data().getString("position")).isEqualTo("B");
        assertThat(song.data().getJsonObject("album").getLong("discogsId")).isEqualTo(1521183L);
        assertThat(Await.result(cache.get("album:" + s.albumId())).status()).isEqualTo(Metadata.Status.READY);
        // no "DJ Healer" artist in the fake: a confident not-found, cached too
        Await.until("the artist", Duration.ofSeconds(10), () -> Await.result(cache.get("artist:" + s.artistId())) != null);
        int calls = fake.calls().size();
        assertThat(calls).isEqualTo(3); // artist search, master search, master; the song costs none

        vertx.eventBus().publish(Addresses.SONG_INDEXED, indexed("DJ Healer/Nothing 2 Loose/04 Gods Creation.mp3"));
        Await.until("the second song", Duration.ofSeconds(10), () -> Await.result(queue.size()) == 0
            && Await.result(cache.get("song:" + Ids.song("DJ Healer/Nothing 2 Loose/04 Gods Creation.mp3"))) != null);
        assertThat(fake.calls()).hasSize(calls);
    }

    @Test
    void theDailyRefreshFetchesTheOldestEntriesAgain() {
        WorkerConfig cfg = Workers.config(fake.baseUrl(), "token", Duration.ofSeconds(30))
            .withRefresh(Duration.ofMillis(300), Duration.ofMillis(1), 10);
        deployWorker("token", cfg);
        Await.result(vertx.eventBus().request(Addresses.METADATA_LOOKUP, MetadataLookup.of(COLDPLAY)));
        Await.until("first fetch", Duration.ofSeconds(10), () -> Await.result(cache.get("artist:" + COLDPLAY.id())) != null);
        long first = Await.result(cache.get("artist:" + COLDPLAY.id())).fetchedAtMillis();
        Await.until("a refresh", Duration.ofSeconds(10),
            () -> Await.result(cache.get("artist:" + COLDPLAY.id())).fetchedAtMillis() > first);
        assertThat(fake.calls().size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aMalformedLookupFailsWithTheDeclaredCodeAndQueuesNothing() {
        deployWorker("token", null);
        Throwable t = catchThrowable(() -> Await.result(vertx.eventBus().request(Addresses.METADATA_LOOKUP,
            new JsonObject().put("kind", "ARTIST"), new DeliveryOptions().setSendTimeout(2000))));
        assertThat(t).hasRootCauseInstanceOf(ReplyException.class);
        assertThat(((ReplyException) rootCause(t)).failureCode()).isEqualTo(MetadataLookup.FAILURE_INVALID);
        Throwable t2 = catchThrowable(() -> Await.result(vertx.eventBus().request(Addresses.METADATA_LOOKUP,
            MetadataLookup.of(new MetadataRef(MetadataRef.Kind.ALBUM, "x", "A", null, null)))));
        assertThat(((ReplyException) rootCause(t2)).failureCode()).isEqualTo(MetadataLookup.FAILURE_INVALID);
        assertThat(Await.result(queue.size())).isZero();
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
