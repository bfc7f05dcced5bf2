package dev.s3music.model;

import java.util.Optional;

/**
 * What to look up on Discogs: an artist, an album or a song of the catalog, by its id and names.
 *
 * @param kind   which entity
 * @param id     the catalog id (artist, album or song id)
 * @param artist the artist name
 * @param album  the album name, or null for an artist
 * @param title  the song title, or null unless kind is SONG
 */
public record MetadataRef(Kind kind, String id, String artist, String album, String title) {

    public enum Kind { ARTIST, ALBUM, SONG }

    /**
     * The longest name a lookup carries: names come from folder names and file names (S3 keys are at most 1,024
     * bytes), so a longer one is forged; it would only inflate queue entries and Discogs queries.
     */
    public static final int MAX_NAME_LENGTH = LibraryKeys.MAX_KEY_LENGTH;

    /**
     * Why this ref must not be acted on, or empty when it is well formed. Refs travel on the event bus (and in the
     * lookup queue), where anything that can reach the bus can forge one, and the worker turns the id into cache,
     * queue and S3 document keys. So: the id is a canonical {@link Ids} id of the ref's kind (an artist folder or
     * "/", an "artist/album" pair, a library song key), the names the kind needs are present and bounded.
     */
    public Optional<String> problem() {
        if (kind == null) {
            return Optional.of("kind is missing");
        }
        if (!boundedName(artist) || (kind != Kind.ARTIST && !boundedName(album))
            || (kind == Kind.SONG && !boundedName(title))) {
            return Optional.of("a name is missing or longer than " + MAX_NAME_LENGTH + " characters");
        }
        Optional<String> decoded = Ids.decode(id);
        boolean canonical = decoded.isPresent() && switch (kind) {
            case ARTIST -> decoded.get().equals("/") || isFolder(decoded.get());
            case ALBUM -> isAlbumPair(decoded.get());
            case SONG -> SongKey.parse(decoded.get()).isPresent();
        };
        return canonical ? Optional.empty() : Optional.of("id is not a canonical " + kind.name().toLowerCase(
            java.util.Locale.ROOT) + " id");
    }

    private static boolean boundedName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH;
    }

    /** "artist/album", either side empty for "Unknown" (see {@link Ids#album}). */
    private static boolean isAlbumPair(String s) {
        int slash = s.indexOf('/');
        if (slash < 0 || s.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        String artistFolder = s.substring(0, slash);
        String albumFolder = s.substring(slash + 1);
        return (artistFolder.isEmpty() || isFolder(artistFolder)) && (albumFolder.isEmpty() || isFolder(albumFolder));
    }

    /** One segment of a library key: no slash, not "." or "..", no control character. */
    private static boolean isFolder(String s) {
        return !s.contains("/") && LibraryKeys.isValid(s) && !(s + "/").equals(LibraryKeys.RESERVED_PREFIX);
    }

    public static MetadataRef artist(String id, String name) {
        return new MetadataRef(Kind.ARTIST, id, name, null, null);
    }

    public static MetadataRef album(String id, String artist, String album) {
        return new MetadataRef(Kind.ALBUM, id, artist, album, null);
    }

    public static MetadataRef song(Song s) {
        return new MetadataRef(Kind.SONG, s.id(), s.artistName(), s.albumName(), s.title());
    }
}
