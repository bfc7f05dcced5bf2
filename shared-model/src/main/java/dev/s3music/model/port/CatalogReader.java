package dev.s3music.model.port;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.DomainException;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;
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

    // Lists for the web player and Subsonic. Each must answer in a few milliseconds at 100,000 songs (kept as
    // indexes updated with every upsert and remove, not computed by a scan per call). The defaults fail until an
    // adapter implements them.

    /** One page of albums as the query selects and orders them. */
    default Future<Page<AlbumInfo>> albums(AlbumQuery query, int offset, int limit) {
        return notYet("albums");
    }

    /** The albums with these ids that exist (missing ones are left out), by id. */
    default Future<Map<String, AlbumInfo>> albumInfos(Collection<String> albumIds) {
        return notYet("albumInfos");
    }

    /** The songs with these ids that exist (missing ones are left out), by id: resolving playlists and queues. */
    default Future<Map<String, Song>> songs(Collection<String> songIds) {
        return notYet("songs");
    }

    /**
     * Up to {@code count} songs drawn at random (no repeats within one answer), optionally only of a genre and
     * within a year range (null for no filter; bounds included).
     */
    default Future<List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear) {
        return notYet("randomSongs");
    }

    /** One page of a genre's songs (genre matched case- and accent-insensitively), by artist, album, play order. */
    default Future<Page<Song>> songsByGenre(String genre, int offset, int limit) {
        return notYet("songsByGenre");
    }

    /** Every genre with its counts, by name. */
    default Future<List<GenreCount>> genres() {
        return notYet("genres");
    }

    private static <T> Future<T> notYet(String what) {
        return Future.failedFuture(new DomainException(DomainException.Kind.TRANSIENT, "this catalog has no " + what + " yet"));
    }
}
