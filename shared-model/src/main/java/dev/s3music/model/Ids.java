package dev.s3music.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque, URL-safe, stable ids: the unpadded base64url of the UTF-8 bytes of what they name.
 *
 * <ul>
 *   <li>song: the exact S3 key;</li>
 *   <li>artist: the artist folder, or {@code "/"} for "Unknown artist" (a folder name never holds a slash);</li>
 *   <li>album: the artist part ({@code "/"} for "Unknown artist") + {@code "/"} + the album folder, empty for
 *       "Unknown album" ({@code "A/B"}, {@code "A/"}, {@code "//"}).</li>
 * </ul>
 * No artist id equals an album id (an artist id decodes to no slash or to exactly {@code "/"}; an album id to
 * text with at least one slash and never to {@code "/"}), so catalogs may index both kinds in one map. The loose
 * files' album was once {@code "/"} too, the artist id of "Unknown artist": the two collided and that artist
 * could not be opened.
 * So a key and its id map one to one, on every instance and after every rescan, with no lookup table.
 * Normalization (case, accents) is for sorting and search only, never for ids.
 */
public final class Ids {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    public static String song(String key) {
        return encode(key);
    }

    public static String album(String artistFolder, String albumFolder) {
        return encode((artistFolder == null ? "/" : artistFolder) + "/" + nullToEmpty(albumFolder));
    }

    public static String artist(String artistFolder) {
        return encode(artistFolder == null ? "/" : artistFolder);
    }

    /** The library key a song id names, or empty when the id is malformed or names no valid library key. */
    public static Optional<String> songKey(String id) {
        return decode(id).filter(LibraryKeys::isValid);
    }

    /**
     * Decodes an id strictly: only the base64url alphabet without padding, canonical encoding, valid UTF-8.
     * Anything else is empty, never an exception.
     */
    public static Optional<String> decode(String id) {
        if (id == null || id.isEmpty() || id.length() > 2 * LibraryKeys.MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return Optional.empty();
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!ENCODER.encodeToString(bytes).equals(id)) {
            return Optional.empty(); // non-canonical trailing bits: two ids must never name one key
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
            return Optional.of(text);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String encode(String s) {
        return ENCODER.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
