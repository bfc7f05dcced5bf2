package dev.s3music.model;

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
