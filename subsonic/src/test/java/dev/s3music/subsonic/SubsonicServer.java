package dev.s3music.subsonic;

import dev.s3music.accounts.AccountsConfig;
import dev.s3music.accounts.DocumentShareService;
import dev.s3music.accounts.StoredAccountService;
import dev.s3music.accounts.StoredSubsonicCredentials;
import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.art.CoverArtService;
import dev.s3music.api.art.RemoteImages;
import dev.s3music.api.auth.AuthArea;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.TrustedProxies;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.SongTags;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.CatalogWriter;
import dev.s3music.model.port.EmbeddedPictures;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.user.UserDataService;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API as the launcher assembles it, in one JVM on loopback: S3Proxy and the real S3 adapter (streams), the
 * in-memory catalog, the real accounts module (Argon2, throttle, app passwords, API keys) over in-memory documents,
 * a user-data store, the auth handler, {@code /api} and {@code /rest}.
 */
final class SubsonicServer {

    static final String BUCKET = "music";
    static final String ADMIN = "admin";
    static final String ADMIN_PW = "admin-password-1";
    static final String STUDENT = "student";
    static final String STUDENT_PW = "student-password-1";
    static final String SECRET = "a-test-secret-of-at-least-32-characters!";

    final Vertx vertx;
    final EmbeddedS3 s3;
    final S3ObjectStore store;
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final StoredAccountService accounts;
    final StoredSubsonicCredentials credentials;
    final UserDataService userData;
    final HttpApiVerticle api;
    final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private final S3TestSupport uploads;

    private SubsonicServer(Vertx vertx, Path base, UserDataService userData) throws Exception {
        this.vertx = vertx;
        Codecs.registerAll(vertx.eventBus()); // as the launcher does: the catalog events are published with them
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        uploads = new S3TestSupport(s3, BUCKET);
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        InMemoryDocumentStore docs = new InMemoryDocumentStore();
        accounts = new StoredAccountService(vertx, docs, new InMemorySessionStore(),
            new InMemoryLoginThrottle(AccountsConfig.defaults().throttle()), AccountsConfig.defaults().withHashing(2, 64));
        accounts.ready().await(10, TimeUnit.SECONDS);
        accounts.bootstrap(Optional.of(ADMIN), Optional.of(ADMIN_PW)).await(30, TimeUnit.SECONDS);
        accounts.create(new Principal(ADMIN, Role.ADMIN, null), STUDENT, STUDENT_PW, Role.LISTENER)
            .await(30, TimeUnit.SECONDS);
        credentials = new StoredSubsonicCredentials(vertx, accounts, docs, SECRET);
        credentials.ready().await(10, TimeUnit.SECONDS);
        this.userData = userData;

        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamService streams = new StreamService(catalog, store, registry);
        // the tests give each failing client its own address (X-Forwarded-For from loopback), as behind a load balancer
        TrustedProxies proxies = TrustedProxies.parse("127.0.0.1/32, ::1");
        List<RouteArea> areas = new ArrayList<>(HttpApiVerticle.standardAreas(config, catalog, METADATA, streams,
            readiness, registry));
        areas.add(new AuthArea(accounts, new DocumentShareService(docs, AccountsConfig.defaults()), credentials, proxies));
        CoverArtService covers = new CoverArtService(catalog, store, store.blobs(".s3music/art/"), EmbeddedPictures.NONE,
            MetadataReader.unavailable(), RemoteImages.NONE, vertx.createSharedWorkerExecutor("subsonic-test-art", 1),
            Duration.ofSeconds(1));
        areas.add(new SubsonicArea(vertx, catalog, streams, userData, METADATA, accounts, credentials, proxies, covers,
            config.metadataTimeout(), config.eventBusTimeout()));
        api = new HttpApiVerticle(config, readiness, areas, table -> new AuthHandler(table, accounts, proxies));
        vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
    }

    /** With the user-data module's store (over in-memory documents and cache). */
    static SubsonicServer start(Vertx vertx, Path base) throws Exception {
        return new SubsonicServer(vertx, base, new StoredUserDataService(vertx, new InMemoryDocumentStore(),
            new InMemoryUserDataCache(), UserDataConfig.defaults()));
    }

    /** An image file in an album folder ({@code cover.jpg}): the album's art. */
    void art(String key, byte[] image) {
        uploads.put(key, image);
        catalog.upsertArt(key, CatalogWriter.Guard.none()).await();
    }

    int port() {
        return api.actualPort();
    }

    String base() {
        return "http://127.0.0.1:" + port();
    }

    /** Uploads a song with these tags and indexes it. */
    Song put(String key, int size, String genre, Integer year, Integer duration) {
        byte[] content = S3TestSupport.randomBytes(size, key.hashCode());
        contents.put(key, content);
        uploads.put(key, content);
        var info = store.head(key).await();
        Song song = Song.of(SongKey.parse(key).orElseThrow(), info.size(), info.etag(), info.lastModified())
            .withTags(new SongTags(null, null, null, null, null, year, genre, duration, false));
        catalog.upsert(song).await();
        return catalog.song(song.id()).await().orElseThrow();
    }

    /**
     * Indexes a song that is not in the bucket (a folder and a file of one name cannot both exist in S3Proxy's
     * file-system store, while S3 has both): browsing only.
     */
    Song indexOnly(String key, int size) {
        Song song = Song.of(SongKey.parse(key).orElseThrow(), size, "0123", java.time.Instant.parse("2024-01-02T03:04:05Z"));
        catalog.upsert(song).await();
        return catalog.song(song.id()).await().orElseThrow();
    }

    /** Discogs-shaped metadata for one artist and one album; everything else not found. */
    static final MetadataReader METADATA = ref -> {
        if (ref.kind() == MetadataRef.Kind.ARTIST && "Teacher".equals(ref.artist())) {
            return Future.succeededFuture(new Metadata(Metadata.Status.READY, new JsonObject()
                .put("name", "Teacher").put("profile", "A teacher of piano & theory <since 1990>.")
                .put("images", new JsonArray().add(new JsonObject().put("type", "primary")
                    .put("uri", "https://i.discogs.com/teacher.jpg").put("uri150", "https://i.discogs.com/teacher-150.jpg")))));
        }
        if (ref.kind() == MetadataRef.Kind.ALBUM && "Etudes".equals(ref.album())) {
            return Future.succeededFuture(new Metadata(Metadata.Status.READY, new JsonObject()
                .put("title", "Etudes").put("year", 2001).put("country", "France")
                .put("labels", new JsonArray().add(new JsonObject().put("name", "Label").put("catno", "L-1")))
                .put("genres", new JsonArray().add("Classical")).put("styles", new JsonArray().add("Romantic"))
                .put("images", new JsonArray().add(new JsonObject().put("uri", "https://i.discogs.com/etudes.jpg")))));
        }
        return Future.succeededFuture(new Metadata(Metadata.Status.NOT_FOUND, null));
    };

    void stop() throws Exception {
        credentials.close();
        accounts.close();
        s3.close();
    }

    static Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
