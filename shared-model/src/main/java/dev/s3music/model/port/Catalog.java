package dev.s3music.model.port;

import dev.s3music.model.Album;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * The catalog (the SongMap): presentation names to S3 keys. Listings are in a stable, case- and
 * accent-insensitive order. Writes are idempotent.
 */
public interface Catalog {

    Future<Page<ArtistSummary>> artists(int offset, int limit);

    Future<Optional<Artist>> artist(String artistId);

    Future<Optional<Album>> album(String albumId);

    Future<Optional<Song>> song(String songId);

    Future<SearchResult> search(String query, int limit);

    /** Number of songs. */
    Future<Long> size();

    /** Adds or replaces the song with its key; true when something changed. */
    Future<Boolean> upsert(Song song);

    /** Removes the song with this key; true when it was there. */
    Future<Boolean> remove(String key);
}
