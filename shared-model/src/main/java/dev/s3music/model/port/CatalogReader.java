package dev.s3music.model.port;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
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

    // Lists for the web player and Subsonic. Each answers in a few milliseconds at 100,000 songs (kept as indexes
    // updated with every upsert and remove, not computed by a scan per call; dev.s3music.model.CatalogLists defines
    // them for every adapter). Bad arguments (negative offset, limit or count, a blank genre) fail the future with
    // DomainException INVALID; a year range is clamped to 1..9999 (nothing outside it has a year).

    /**
     * One page of albums as the query selects and orders them; {@code total} counts every album the query selects.
     * {@link AlbumQuery.Order#RANDOM}: {@code min(limit, total - offset)} distinct albums drawn at random.
     */
    Future<Page<AlbumInfo>> albums(AlbumQuery query, int offset, int limit);

    /** The albums with these ids that exist (missing ones are left out), by id. */
    Future<Map<String, AlbumInfo>> albumInfos(Collection<String> albumIds);

    /** The songs with these ids that exist (missing ones are left out), by id: resolving playlists and queues. */
    Future<Map<String, Song>> songs(Collection<String> songIds);

    /**
     * Up to {@code count} songs drawn at random (no repeats within one answer), optionally only of a genre and
     * within a year range (bounds included; both null for no year filter, one null for an open end).
     */
    Future<List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear);

    /** One page of a genre's songs (genre matched case- and accent-insensitively), by artist, album, play order. */
    Future<Page<Song>> songsByGenre(String genre, int offset, int limit);

    /**
     * Every genre that songs have, by name ({@link dev.s3music.model.CatalogLists#GENRE_ORDER}): its songs (their
     * own tag) and its albums (those whose {@link AlbumInfo#genre} it is, as the album list's genre filter).
     */
    Future<List<GenreCount>> genres();
}
