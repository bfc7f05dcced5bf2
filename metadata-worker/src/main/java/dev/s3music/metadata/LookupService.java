package dev.s3music.metadata;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.metadata.match.NameMatcher;
import dev.s3music.metadata.match.TrackMatcher;
import dev.s3music.metadata.model.Candidate;
import dev.s3music.metadata.model.Details;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.metadata.port.MetadataProvider;
import dev.s3music.model.DomainException;
import dev.s3music.model.Ids;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.SongKey;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Resolves one lookup: from the caches when they have it, else from the provider through name matching, and
 * stores the outcome (ready or a confident not-found) in the Redis cache and, for artists and albums, in the
 * durable document cache (S3), so a Redis flush costs no provider calls.
 *
 * <p>Provider calls per lookup: artist 2 (search, details); album 2 (master search and master), 4 when only a
 * release matches, 1 more when only the artist's discography finds it; song 0 once its album is cached (the
 * song is matched in the album's tracklist).
 */
public final class LookupService {

    static final String DOC_PREFIX = "discogs/";

    private final MetadataProvider provider;
    private final MetadataCache cache;
    private final DocumentStore documents;
    private final Duration cacheTtl;
    private final Duration notFoundTtl;
    private final LongSupplier clock;

    public LookupService(MetadataProvider provider, MetadataCache cache, DocumentStore documents, Duration cacheTtl,
                         Duration notFoundTtl, LongSupplier clock) {
        this.provider = provider;
        this.cache = cache;
        this.documents = documents;
        this.cacheTtl = cacheTtl;
        this.notFoundTtl = notFoundTtl;
        this.clock = clock;
    }

    /**
     * The entry for this job.
     *
     * @param force re-fetch from the provider even when cached (the refresh)
     */
    public Future<CacheEntry> resolve(LookupJob job, boolean force) {
        Future<CacheEntry> cached = force ? Future.succeededFuture(null) : cache.get(job.key());
        return cached.compose(hit -> hit != null ? Future.succeededFuture(hit) : switch (job.ref().kind()) {
            case ARTIST -> durable(job, force, () -> fetchArtist(job));
            case ALBUM -> durable(job, force, () -> fetchAlbum(job));
            case SONG -> resolveSong(job);
        });
    }

    private interface Fetch {
        Future<CacheEntry> run();
    }

    /** Artist and album entries: the durable cache first (unless forced), then the provider; stored in both. */
    private Future<CacheEntry> durable(LookupJob job, boolean force, Fetch fetch) {
        String docKey = docKey(job.ref());
        Future<JsonObject> doc = force ? Future.succeededFuture(null)
            : documents.get(docKey).map(v -> v == null ? null : v.value())
                .recover(e -> Future.succeededFuture(null)); // S3 down: ask Discogs instead
        return doc.compose(d -> {
            if (d != null) {
                CacheEntry fromDoc = CacheEntry.fromJson(d);
                return cache.put(job.key(), fromDoc, ttl(fromDoc)).map(fromDoc);
            }
            return fetch.run().compose(e -> store(job, e));
        });
    }

    private Future<CacheEntry> store(LookupJob job, CacheEntry e) {
        Future<Void> put = cache.put(job.key(), e, ttl(e));
        if (e.status() == Metadata.Status.READY && job.ref().kind() != MetadataRef.Kind.SONG) {
            put = put.compose(v -> documents.put(docKey(job.ref()), e.toJson()));
        }
        return put.map(e);
    }

    private Duration ttl(CacheEntry e) {
        return e.status() == Metadata.Status.READY ? cacheTtl : notFoundTtl;
    }

    static String docKey(MetadataRef ref) {
        return DOC_PREFIX + (ref.kind() == MetadataRef.Kind.ARTIST ? "artist/" : "album/") + ref.id() + ".json";
    }

    private static boolean unknown(String name, String placeholder) {
        return name == null || name.isBlank() || placeholder.equals(name);
    }

    // ---- artists ---------------------------------------------------------------------------------------------

    private Future<CacheEntry> fetchArtist(LookupJob job) {
        String name = job.ref().artist();
        if (unknown(name, SongKey.UNKNOWN_ARTIST)) {
            return Future.succeededFuture(CacheEntry.notFound(clock.getAsLong(), job));
        }
        return provider.searchArtists(name)
            .compose(hits -> NameMatcher.bestArtist(name, hits)
                .map(c -> provider.artist(c.id()).map(a -> CacheEntry.ready(MetadataJson.artist(a), clock.getAsLong(), job)))
                .orElseGet(() -> Future.succeededFuture(CacheEntry.notFound(clock.getAsLong(), job))))
            .recover(e -> notFoundIfAnswer(e, job));
    }

    // ---- albums ----------------------------------------------------------------------------------------------

    private Future<CacheEntry> fetchAlbum(LookupJob job) {
        String artist = job.ref().artist();
        String album = job.ref().album();
        if (unknown(artist, SongKey.UNKNOWN_ARTIST) || unknown(album, SongKey.UNKNOWN_ALBUM)) {
            return Future.succeededFuture(CacheEntry.notFound(clock.getAsLong(), job));
        }
        // masters first: the album as a work; a release only when no master matches
        return match(artist, album, Candidate.Type.MASTER)
            .compose(m -> m.isPresent() ? Future.succeededFuture(m) : match(artist, album, Candidate.Type.RELEASE))
            .compose(m -> m.isPresent() ? Future.succeededFuture(m) : fromDiscography(job))
            .compose(m -> m.map(c -> albumDetails(c).map(a -> CacheEntry.ready(MetadataJson.album(a), clock.getAsLong(), job)))
                .orElseGet(() -> Future.succeededFuture(CacheEntry.notFound(clock.getAsLong(), job))))
            .recover(e -> notFoundIfAnswer(e, job));
    }

    private Future<Optional<Candidate>> match(String artist, String album, Candidate.Type kind) {
        return provider.searchAlbums(artist, album, kind).map(hits -> NameMatcher.bestAlbum(artist, album, hits));
    }

    /** When searching fails but the artist is known: its discography, masters before releases. */
    private Future<Optional<Candidate>> fromDiscography(LookupJob job) {
        String artistId = Ids.artist(job.ref().artist());
        return cache.get(LookupJob.key(MetadataRef.artist(artistId, job.ref().artist()))).compose(a -> {
            if (a == null || a.status() != Metadata.Status.READY || a.data().getLong("discogsId") == null) {
                return Future.succeededFuture(Optional.<Candidate>empty());
            }
            return provider.artistReleases(a.data().getLong("discogsId")).map(list -> {
                Optional<Candidate> m = NameMatcher.bestAlbum(job.ref().artist(), job.ref().album(),
                    list.stream().filter(c -> c.type() == Candidate.Type.MASTER).toList());
                return m.isPresent() ? m : NameMatcher.bestAlbum(job.ref().artist(), job.ref().album(),
                    list.stream().filter(c -> c.type() == Candidate.Type.RELEASE).toList());
            });
        });
    }

    private Future<Details.Album> albumDetails(Candidate c) {
        return c.type() == Candidate.Type.MASTER ? provider.master(c.id()) : provider.release(c.id());
    }

    /** A 404 of a matched id is an answer (the entity was merged or removed): not found, not a failure. */
    private Future<CacheEntry> notFoundIfAnswer(Throwable e, LookupJob job) {
        return DomainException.is(e, DomainException.Kind.NOT_FOUND)
            ? Future.succeededFuture(CacheEntry.notFound(clock.getAsLong(), job))
            : Future.failedFuture(e);
    }

    // ---- songs -----------------------------------------------------------------------------------------------

    private Future<CacheEntry> resolveSong(LookupJob job) {
        MetadataRef ref = job.ref();
        Optional<SongKey> key = Ids.songKey(ref.id()).flatMap(SongKey::parse);
        String albumId = key.map(SongKey::albumId).orElseGet(() -> Ids.album(ref.artist(), ref.album()));
        Integer track = job.track() != null ? job.track() : key.map(SongKey::track).orElse(null);
        Integer disc = job.disc() != null ? job.disc() : key.map(SongKey::disc).orElse(null);
        String title = ref.title() != null ? ref.title() : key.map(SongKey::title).orElse("");
        LookupJob albumJob = LookupJob.of(MetadataRef.album(albumId, ref.artist(), ref.album()));
        return resolve(albumJob, false).compose(album -> {
            CacheEntry e = album.status() != Metadata.Status.READY ? CacheEntry.notFound(clock.getAsLong(), job)
                : TrackMatcher.match(MetadataJson.tracklist(album.data()), title, track, disc)
                    .map(m -> CacheEntry.ready(MetadataJson.song(album.data(), m), clock.getAsLong(), job))
                    .orElseGet(() -> CacheEntry.notFound(clock.getAsLong(), job));
            return store(job, e);
        });
    }
}
