package dev.s3music.subsonic;

import java.util.Optional;

/**
 * Subsonic ids: the catalog's own id (base64url without padding: URL-safe, stable across restarts) behind a type
 * prefix, so that the id alone says what it names ({@code star?id=} and {@code getMusicDirectory?id=} get bare
 * ids). Without it a top-level file {@code X.mp3} (song id = base64url of {@code X.mp3}) and an artist folder
 * {@code X.mp3} (artist id = the same) would share one. Only this layer adds and strips the prefix: the catalog,
 * user data and {@code /api} keep their ids.
 */
public final class SubsonicIds {

    public enum Kind {
        ARTIST("ar-"), ALBUM("al-"), SONG("so-"), PLAYLIST("pl-");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** An id taken apart: its kind and the catalog's (or playlist store's) own id. */
    public record Parsed(Kind kind, String id) {
    }

    private SubsonicIds() {
    }

    public static String artist(String catalogId) {
        return Kind.ARTIST.prefix + catalogId;
    }

    public static String album(String catalogId) {
        return Kind.ALBUM.prefix + catalogId;
    }

    public static String song(String catalogId) {
        return Kind.SONG.prefix + catalogId;
    }

    public static String playlist(String id) {
        return Kind.PLAYLIST.prefix + id;
    }

    /** The kind and inner id, or empty for anything else (no prefix, nothing after it). */
    public static Optional<Parsed> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (id.startsWith(k.prefix) && id.length() > k.prefix.length()) {
                return Optional.of(new Parsed(k, id.substring(k.prefix.length())));
            }
        }
        return Optional.empty();
    }

    /** The inner id when {@code id} is of {@code kind}, else empty. */
    public static Optional<String> of(Kind kind, String id) {
        return parse(id).filter(p -> p.kind() == kind).map(Parsed::id);
    }
}
