package dev.s3music.metadata;

import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.MetadataRef.Kind;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.event.MetadataLookup;
import dev.s3music.model.event.MetadataLookupReply;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 9 item 11: anything that reaches the event bus can forge a message, and the worker turns a lookup id into
 * cache, queue and S3 document keys. Every forged lookup fails with {@link MetadataLookup#FAILURE_INVALID} and a
 * forged song-indexed fact is dropped; neither queues, caches, writes a document or calls Discogs.
 */
class ForgedBusMessagesTest {

    private Vertx vertx;
    private FakeDiscogs fake;
    private InMemoryMetadataCache cache;
    private InMemoryLookupQueue queue;
    private InMemoryDocumentStore documents;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        fake = Await.result(FakeDiscogs.start(vertx));
        fake.rateLimit(100_000);
        cache = new InMemoryMetadataCache();
        queue = new InMemoryLookupQueue();
        documents = new InMemoryDocumentStore();
        WorkerConfig cfg = Workers.config(fake.baseUrl(), "token", Duration.ofSeconds(30));
        Await.result(vertx.deployVerticle(DiscogsWorkerVerticle.discogs(cfg, WebClient.create(vertx),
            new InMemoryRateLimiter(100, Duration.ofSeconds(1), Duration.ZERO), queue, cache, documents)));
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void forgedLookupsFailWithTheDeclaredCodeAndTouchNothing() {
        String coldplay = Ids.artist("Coldplay");
        Map<String, MetadataLookup> forged = new LinkedHashMap<>();
        forged.put("raw path as artist id", MetadataLookup.of(MetadataRef.artist("../../.s3music/accounts/x", "A")));
        forged.put("album id as artist id", MetadataLookup.of(MetadataRef.artist(Ids.album("A", "B"), "A")));
        forged.put("artist id as album id", MetadataLookup.of(MetadataRef.album(coldplay, "Coldplay", "B")));
        forged.put("non-canonical base64", MetadataLookup.of(MetadataRef.artist("a1", "A")));
        forged.put("padded base64", MetadataLookup.of(MetadataRef.artist(coldplay + "=", "Coldplay")));
        forged.put("dot-dot artist", MetadataLookup.of(MetadataRef.artist(Ids.artist(".."), "..")));
        forged.put("reserved folder", MetadataLookup.of(MetadataRef.artist(Ids.artist(".s3music"), ".s3music")));
        forged.put("song id of a non-song", MetadataLookup.of(new MetadataRef(Kind.SONG, Ids.song("A/B/cover.jpg"),
            "A", "B", "cover")));
        forged.put("song id escaping the library", MetadataLookup.of(new MetadataRef(Kind.SONG,
            Ids.song("../x.mp3"), "A", "B", "x")));
        forged.put("oversized name", MetadataLookup.of(MetadataRef.artist(coldplay, "x".repeat(100_000))));
        forged.put("track out of range", new MetadataLookup(new MetadataRef(Kind.SONG, Ids.song("A/B/01 x.mp3"),
            "A", "B", "x"), 1_000_000, null));
        forged.put("missing album name", MetadataLookup.of(new MetadataRef(Kind.ALBUM, Ids.album("A", "B"), "A",
            null, null)));

        forged.forEach((what, lookup) -> {
            Throwable t = catchThrowable(() -> Await.result(vertx.eventBus().request(Addresses.METADATA_LOOKUP,
                lookup, new DeliveryOptions().setSendTimeout(5_000))));
            assertThat(failureCode(t)).as(what).isEqualTo(MetadataLookup.FAILURE_INVALID);
        });
        // something other than a MetadataLookup
        Throwable t = catchThrowable(() -> Await.result(vertx.eventBus().request(Addresses.METADATA_LOOKUP,
            "artist:../../x", new DeliveryOptions().setSendTimeout(5_000))));
        assertThat(failureCode(t)).isEqualTo(MetadataLookup.FAILURE_INVALID);

        assertThat(Await.result(queue.size())).isZero();
        assertThat(documents.size()).isZero();
        assertThat(fake.calls()).isEmpty();

        // the same worker still answers a genuine lookup: the refusals above are not a dead consumer
        MetadataLookupReply ok = (MetadataLookupReply) Await.result(vertx.eventBus().request(
            Addresses.METADATA_LOOKUP, MetadataLookup.of(MetadataRef.artist(coldplay, "Coldplay")))).body();
        assertThat(ok.status()).isIn(MetadataLookupReply.Status.QUEUED, MetadataLookupReply.Status.READY);
    }

    @Test
    void forgedSongIndexedFactsAreDroppedAndGenuineOnesStillWarm() {
        SongIndexed real = SongIndexed.of(Song.of(SongKey.parse("Coldplay/Parachutes/01 Yellow.mp3").orElseThrow(),
            1, "e", Instant.now()));
        String evilArtist = Ids.artist("Evil");
        SongIndexed[] forged = {
            // ids that do not follow from the key
            new SongIndexed(real.songId(), real.key(), evilArtist, "Evil", real.albumId(), real.albumName(), "x"),
            new SongIndexed(real.songId(), real.key(), real.artistId(), real.artistName(), Ids.album("Evil", "E"),
                real.albumName(), "x"),
            // a key that is not a song, or escapes the library
            new SongIndexed(Ids.song("Evil/E/cover.jpg"), "Evil/E/cover.jpg", evilArtist, "Evil",
                Ids.album("Evil", "E"), "E", "cover"),
            new SongIndexed(Ids.song("../Evil/E/x.mp3"), "../Evil/E/x.mp3", Ids.artist(".."), "..",
                Ids.album("..", "Evil"), "Evil", "x"),
            // an oversized title
            new SongIndexed(real.songId(), real.key(), real.artistId(), real.artistName(), real.albumId(),
                real.albumName(), "t".repeat(100_000)),
        };
        for (SongIndexed f : forged) {
            vertx.eventBus().publish(Addresses.SONG_INDEXED, f);
        }
        vertx.eventBus().publish(Addresses.SONG_INDEXED, "not a fact");
        // delivered in order to the one consumer: once the genuine fact is warmed, the forged ones were handled
        vertx.eventBus().publish(Addresses.SONG_INDEXED, real);
        Await.until("the genuine song warmed", Duration.ofSeconds(15),
            () -> Await.result(cache.get("song:" + real.songId())) != null && Await.result(queue.size()) == 0);

        assertThat(Await.result(cache.get("artist:" + evilArtist))).isNull();
        assertThat(Await.result(cache.get("album:" + Ids.album("Evil", "E")))).isNull();
        assertThat(Await.result(cache.get("artist:" + Ids.artist("..")))).isNull();
        assertThat(fake.calls()).allSatisfy(c -> assertThat(c.toString()).doesNotContain("Evil"));
    }

    /** The recipient's failure code, or -1 when the request did not fail that way. */
    private static int failureCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ReplyException r) {
                return r.failureCode();
            }
        }
        return -1;
    }
}
