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
 * The catalog as the API reads it: listings in a stable, case- and accent-insensitive order, items by id, search.
 * The indexer writes it through {@link CatalogWriter}; an adapter implements both ({@link Catalog}).
 */
public interface CatalogReader {

    Future<Page<ArtistSummary>> artists(int offset, int limit);

    Future<Optional<Artist>> artist(String artistId);

    Future<Optional<Album>> album(String albumId);

    Future<Optional<Song>> song(String songId);

    Future<SearchResult> search(String query, int limit);

    /** Number of songs. */
    Future<Long> size();

    /** The preferred art file key of an album ({@link dev.s3music.model.AlbumArt#PREFERENCE}), if any. */
    Future<Optional<String>> albumArt(String albumId);
}
