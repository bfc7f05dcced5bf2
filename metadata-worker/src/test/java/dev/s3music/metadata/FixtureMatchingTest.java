package dev.s3music.metadata;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.discogs.DiscogsAdapter;
import dev.s3music.metadata.discogs.DiscogsClient;
import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.metadata.discogs.PermitGate;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching on every fixture, through the Discogs adapter against the fake Discogs. */
@ExtendWith(VertxExtension.class)
class FixtureMatchingTest {

    private FakeDiscogs fake;
    private WebClient web;
    private LookupService service;
    private InMemoryMetadataCache cache;
    private InMemoryDocumentStore docs;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        web = WebClient.create(vertx);
        FakeDiscogs.start(vertx).onComplete(ctx.succeeding(f -> {
            fake = f;
            fake.rateLimit(100_000);
            DiscogsConfig cfg = DiscogsConfig.of(f.baseUrl(), "test-token", 1000, Duration.ofSeconds(60));
            DiscogsClient client = new DiscogsClient(vertx, web, cfg, PermitGate.unlimited(),
                new InMemoryRateLimiter(1000, Duration.ofSeconds(60), Duration.ZERO));
            cache = new InMemoryMetadataCache();
            docs = new InMemoryDocumentStore();
            service = new LookupService(new DiscogsAdapter(client), cache, docs, Duration.ofDays(30), Duration.ofDays(1),
                System::currentTimeMillis);
            ctx.completeNow();
        }));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private static LookupJob artist(String name) {
        return LookupJob.of(MetadataRef.artist(Ids.artist(name), name));
    }

    private static LookupJob album(String artist, String album) {
        return LookupJob.of(MetadataRef.album(Ids.album(artist, album), artist, album));
    }

    private static LookupJob song(String artist, String album, String file, String title) {
        String key = artist + "/" + album + "/" + file;
        return LookupJob.of(new MetadataRef(MetadataRef.Kind.SONG, Ids.song(key), artist, album, title));
    }

    private CacheEntry resolve(LookupJob job) throws Exception {
        return service.resolve(job, false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long resolvedId(LookupJob job) throws Exception {
        CacheEntry e = resolve(job);
        assertThat(e.status()).as(job.key()).isEqualTo(Metadata.Status.READY);
        return e.data().getLong("discogsId");
    }

    @Test
    void matchesTheArtistOfTheCapturedSearchNotItsNearHits() throws Exception {
        CacheEntry e = resolve(artist("Coldplay"));
        assertThat(e.status()).isEqualTo(Metadata.Status.READY);
        JsonObject d = e.data();
        assertThat(d.getLong("discogsId")).isEqualTo(29735L);
        assertThat(d.getString("profile")).startsWith("Coldplay is an English rock band");
        // signed image URLs are passed through byte for byte
        JsonObject fixture = new JsonObject(new String(FakeDiscogs.class.getResourceAsStream("/discogs/artist.json")
            .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(d.getJsonArray("images").getJsonObject(0).getString("uri"))
            .isEqualTo(fixture.getJsonArray("images").getJsonObject(0).getString("uri"));
        assertThat(d.getJsonArray("members")).contains("Will Champion");
        assertThat(resolvedId(artist("The Coldplay"))).isEqualTo(29735L);
        assertThat(resolvedId(artist("coldplay, the"))).isEqualTo(29735L);
    }

    @Test
    void partialNamesAreNotFoundRatherThanTheFirstHit() throws Exception {
        assertThat(resolve(artist("Piano Tribute")).status()).isEqualTo(Metadata.Status.NOT_FOUND);
        assertThat(resolve(artist("Nobody Anywhere")).status()).isEqualTo(Metadata.Status.NOT_FOUND);
        assertThat(resolve(album("Coldplay", "Nothing 2 Loose")).status()).isEqualTo(Metadata.Status.NOT_FOUND);
    }

    @Test
    void tellsNamesakesApart() throws Exception {
        assertThat(resolvedId(artist("Dave Holmes (7)"))).isEqualTo(974611L);
        fake.addArtist(new JsonObject().put("id", 4242L).put("name", "Dave Holmes").put("profile", "the other one"));
        assertThat(resolvedId(artist("Dave Holmes"))).isEqualTo(4242L);
        fake.addArtist(new JsonObject().put("id", 4343L).put("name", "Steve Strange (3)"));
        assertThat(resolve(artist("Steve Strange")).status()).isEqualTo(Metadata.Status.NOT_FOUND);
        assertThat(resolvedId(artist("Steve Strange (2)"))).isEqualTo(1687004L);
    }

    @Test
    void albumsMatchMastersBeforeReleases() throws Exception {
        CacheEntry e = resolve(album("DJ Healer", "Nothing 2 Loose"));
        assertThat(e.data().getLong("discogsId")).isEqualTo(1521183L);
        assertThat(e.data().getString("kind")).isEqualTo("master");
        assertThat(e.data().getJsonArray("styles")).contains("Ambient");
        assertThat(e.data().getJsonArray("tracklist")).hasSize(11);
        assertThat(resolvedId(album("DJ Healer", "Nothing 2 Loose (Remastered)"))).isEqualTo(1521183L);
        assertThat(resolvedId(album("Eminem", "Infinite"))).isEqualTo(718441L);
        // no master of these in Discogs' answers: their release
        CacheEntry lavelle = resolve(album("James Lavelle", "Barcelona #023"));
        assertThat(lavelle.data().getString("kind")).isEqualTo("release");
        assertThat(lavelle.data().getLong("discogsId")).isEqualTo(71989L);
        assertThat(lavelle.data().getJsonArray("labels").getJsonObject(0).getString("catno")).isEqualTo("GU023VIN");
        assertThat(resolvedId(album("Rick Astley", "Never Gonna Give You Up"))).isEqualTo(249504L);
    }

    @Test
    void unauthenticatedImagesWithEmptyUrlsAreDroppedAndTrackCreditsKept() throws Exception {
        CacheEntry e = resolve(album("Eminem", "Infinite"));
        assertThat(e.data().getJsonArray("images")).isEmpty();
        JsonArray tracks = e.data().getJsonArray("tracklist");
        assertThat(tracks.getJsonObject(0).getString("duration")).isEqualTo("4:03");
    }

    @Test
    void matchesTheSubtrackReleaseWithoutAccents() throws Exception {
        String folder = "Bolero, Rapsodie Espagnole, Pavane Pour Une Infante Defunte, Daphnis Et Chloe, Suite N° 2";
        CacheEntry e = resolve(album("Maurice Ravel", folder));
        assertThat(e.data().getLong("discogsId")).isEqualTo(1287017L);
        assertThat(e.data().getValue("year")).isNull(); // Discogs says 0
        assertThat(e.data().getString("artist")).isEqualTo("Maurice Ravel – Charles Munch, Orchestre De Paris");

        CacheEntry malaguena = resolve(song("Maurice Ravel", folder, "Malaguena.flac", "Malaguena"));
        assertThat(malaguena.data().getString("position")).isEqualTo("B1");
        assertThat(malaguena.data().getString("partOf")).isEqualTo("Rapsodie Espagnole");
        assertThat(malaguena.data().getString("matchedBy")).isEqualTo("title");
        CacheEntry suite = resolve(song("Maurice Ravel", folder, "Rapsodie espagnole.flac", "Rapsodie espagnole"));
        assertThat(suite.data().getString("type")).isEqualTo("index");
        assertThat(suite.data().getString("duration")).isEqualTo("15:31");
        CacheEntry lever = resolve(song("Maurice Ravel", folder, "Lever du jour.flac", "Lever du jour"));
        assertThat(lever.data().getString("position")).isEqualTo("B4.1");
        // by position, sub-tracks count one by one and the index itself does not: 4 is B1
        CacheEntry fourth = resolve(song("Maurice Ravel", folder, "04 Track 4.flac", "Track 4"));
        assertThat(fourth.data().getString("position")).isEqualTo("B1");
        assertThat(fourth.data().getString("matchedBy")).isEqualTo("position");
    }

    @Test
    void songsMatchByTitleThenPositionInEveryFixtureAlbum() throws Exception {
        assertThat(resolve(song("DJ Healer", "Nothing 2 Loose", "03 2 The Dark.mp3", "2 The Dark"))
            .data().getString("duration")).isEqualTo("8:24");
        assertThat(resolve(song("DJ Healer", "Nothing 2 Loose", "01 At Last.mp3", "At Last (Becalming The Storm)"))
            .data().getString("position")).isEqualTo("A1");
        assertThat(resolve(song("DJ Healer", "Nothing 2 Loose", "05 Unknown.mp3", "Unknown"))
            .data().getString("title")).isEqualTo("Untitled");
        assertThat(resolve(song("Eminem", "Infinite", "03 Its OK.mp3", "Its OK")).data().getString("position"))
            .isEqualTo("A3");
        assertThat(resolve(song("James Lavelle", "Barcelona #023", "Hold Back.mp3", "Hold Back")).data()
            .getJsonArray("artists").getString(0)).isEqualTo("Force Mass Motion vs Dylan Rhymes");
        assertThat(resolve(song("Rick Astley", "Never Gonna Give You Up", "B.mp3",
            "Never Gonna Give You Up (Instrumental)")).data().getString("position")).isEqualTo("B");
        assertThat(resolve(song("Rick Astley", "Never Gonna Give You Up", "x.mp3", "Something Else")).status())
            .isEqualTo(Metadata.Status.NOT_FOUND);
    }

    @Test
    void headingsAreNeverSongsAndRepeatedTitlesNeedTheirPosition() throws Exception {
        fake.addRelease(new JsonObject().put("id", 9001L).put("title", "Two Sides").put("year", 1999)
            .put("artists", new JsonArray().add(new JsonObject().put("name", "Test Band").put("id", 77L)))
            .put("tracklist", new JsonArray()
                .add(new JsonObject().put("position", "").put("type_", "heading").put("title", "Side A"))
                .add(new JsonObject().put("position", "A1").put("type_", "track").put("title", "Intro"))
                .add(new JsonObject().put("position", "A2").put("type_", "track").put("title", "Song One"))
                .add(new JsonObject().put("position", "").put("type_", "heading").put("title", "Side B"))
                .add(new JsonObject().put("position", "B1").put("type_", "track").put("title", "Intro"))
                .add(new JsonObject().put("position", "B2").put("type_", "track").put("title", "Song Two"))));
        assertThat(resolve(song("Test Band", "Two Sides", "Side A.mp3", "Side A")).status())
            .isEqualTo(Metadata.Status.NOT_FOUND);
        assertThat(resolve(song("Test Band", "Two Sides", "Intro.mp3", "Intro")).status())
            .isEqualTo(Metadata.Status.NOT_FOUND);
        assertThat(resolve(song("Test Band", "Two Sides", "03 Intro.mp3", "Intro")).data().getString("position"))
            .isEqualTo("B1");
        assertThat(resolve(song("Test Band", "Two Sides", "04 Whatever.mp3", "Whatever")).data()
            .getString("position")).isEqualTo("B2");
    }

    @Test
    void aMasterAndAReleaseOfOneTitleGiveTheMaster() throws Exception {
        JsonArray artists = new JsonArray().add(new JsonObject().put("name", "Simon & Garfunkel").put("id", 5L));
        fake.addRelease(new JsonObject().put("id", 777L).put("title", "Bookends").put("artists", artists));
        fake.addMaster(new JsonObject().put("id", 888L).put("title", "Bookends").put("artists", artists));
        CacheEntry e = resolve(album("Simon and Garfunkel", "Bookends"));
        assertThat(e.data().getLong("discogsId")).isEqualTo(888L);
        assertThat(e.data().getString("kind")).isEqualTo("master");
    }

    @Test
    void findsAnAlbumInTheArtistsDiscographyWhenSearchHasNone() throws Exception {
        resolve(artist("Coldplay"));
        fake.clearCalls();
        // Discogs lists two "Everyday Life" masters; the earliest, lowest id is taken; the fake has no document
        // for it, and a 404 of a matched id is a confident not-found
        CacheEntry e = resolve(album("Coldplay", "Everyday Life"));
        assertThat(fake.calls()).extracting(FakeDiscogs.Call::path)
            .contains("/artists/29735/releases", "/masters/1638967");
        assertThat(e.status()).isEqualTo(Metadata.Status.NOT_FOUND);
    }

    @Test
    void cachesInTheDocumentStoreSoAFlushedCacheCostsNoCalls() throws Exception {
        resolve(artist("Coldplay"));
        int calls = fake.calls().size();
        assertThat(docs.size()).isEqualTo(1);
        // a new, empty Redis: the durable cache answers
        LookupService afterFlush = new LookupService(new DiscogsAdapter(new DiscogsClient(Vertx.vertx(), web,
            DiscogsConfig.of(fake.baseUrl(), "t", 1000, Duration.ofMinutes(1)), PermitGate.unlimited(),
            new InMemoryRateLimiter(1000, Duration.ofMinutes(1), Duration.ZERO))), new InMemoryMetadataCache(), docs,
            Duration.ofDays(30), Duration.ofDays(1), System::currentTimeMillis);
        CacheEntry e = afterFlush.resolve(artist("Coldplay"), false).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        assertThat(e.data().getLong("discogsId")).isEqualTo(29735L);
        assertThat(fake.calls()).hasSize(calls);
    }
}
