package dev.s3music.model;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Album art files: {@code cover.*} or {@code folder.*} images in an album folder (or a folder below it, such as
 * {@code CD1}). A {@code cover} image is preferred to a {@code folder} one; embedded art is the fallback, recorded
 * on each song ({@link SongTags#embeddedCover()}).
 */
public final class AlbumArt {

    private static final Pattern ART = Pattern.compile("(cover|folder)\\.(jpe?g|png|gif|webp)", Pattern.CASE_INSENSITIVE);

    /**
     * Preferred first: cover before folder, shallower before deeper, then by key (byte order of UTF-8, as Redis
     * compares: redis-store's lists.lua picks the same one).
     */
    public static final Comparator<String> PREFERENCE = Comparator
        .comparing((String k) -> !fileName(k).toLowerCase(Locale.ROOT).startsWith("cover"))
        .thenComparing(k -> k.chars().filter(c -> c == '/').count())
        .thenComparing(SearchWords.BYTE_ORDER);

    private AlbumArt() {
    }

    /** The id of the album whose art this key is, or empty when the key is no album art. */
    public static Optional<String> albumIdOf(String key) {
        if (!LibraryKeys.isValid(key)) {
            return Optional.empty();
        }
        String[] parts = key.split("/", -1);
        if (parts.length < 3 || !ART.matcher(parts[parts.length - 1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(Ids.album(parts[0], parts[1]));
    }

    private static String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
