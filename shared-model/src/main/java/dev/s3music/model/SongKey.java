package dev.s3music.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meaning of an S3 key in the library. The key itself is the identity; everything here is derived from it.
 *
 * <ul>
 *   <li>{@code artist/album/song.ext} is the norm;</li>
 *   <li>{@code artist/album/CD1/01 x.flac}: folders below the album are kept as {@link #subFolders()}, and a
 *       {@code CD n}/{@code Disc n} folder gives the disc number;</li>
 *   <li>{@code artist/song.ext} lands in "Unknown album" of that artist, {@code song.ext} in "Unknown album" of
 *       "Unknown artist";</li>
 *   <li>keys that are not audio files ({@code cover.jpg}, {@code .DS_Store}, folder placeholders) are not songs:
 *       {@link #parse(String)} answers empty.</li>
 * </ul>
 *
 * @param key          the exact S3 key
 * @param artistFolder the first folder, or null when the key has none
 * @param albumFolder  the second folder, or null when the key has fewer than two folders
 * @param subFolders   folders between the album folder and the file (disc or sub-folder information)
 * @param fileName     the last path segment
 * @param format       the lower-case extension without the dot ({@code flac})
 * @param title        the presentation title: file name without a leading track number and the extension
 * @param track        the leading track number of the file name, or null
 * @param disc         the disc number from a {@code 1-07 x} file name or a {@code CD1} folder, or null
 */
public record SongKey(String key, String artistFolder, String albumFolder, List<String> subFolders,
                      String fileName, String format, String title, Integer track, Integer disc) {

    public static final String UNKNOWN_ARTIST = "Unknown artist";
    public static final String UNKNOWN_ALBUM = "Unknown album";

    /** "07 - Title", "07. Title", "07 Title", "7-Title", "1-07 Title" (disc 1, track 7). */
    private static final Pattern NUMBERED =
        Pattern.compile("^(?:(\\d{1,2})[-.](?=\\d))?(\\d{1,3})(?:\\s*[-._]\\s*|\\s+)(\\S.*)$");
    private static final Pattern DISC_FOLDER =
        Pattern.compile("^(?:cd|disc|disk)\\s*[-_.]?\\s*(\\d{1,3})(?:\\D.*)?$", Pattern.CASE_INSENSITIVE);

    public SongKey {
        subFolders = List.copyOf(subFolders);
    }

    /** Parses an S3 key; empty when the key is not a song (not audio, a folder, or not a valid library key). */
    public static Optional<SongKey> parse(String key) {
        if (!LibraryKeys.isValid(key) || key.endsWith("/")) {
            return Optional.empty();
        }
        String[] parts = key.split("/", -1);
        String fileName = parts[parts.length - 1];
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) {
            return Optional.empty(); // no extension, or a dot file such as .DS_Store
        }
        String format = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!AudioFormat.isAudio(format)) {
            return Optional.empty();
        }
        String base = fileName.substring(0, dot).strip();
        String artist = parts.length >= 2 ? parts[0] : null;
        String album = parts.length >= 3 ? parts[1] : null;
        List<String> sub = parts.length > 3 ? List.of(parts).subList(2, parts.length - 1) : List.of();

        Integer track = null;
        Integer disc = null;
        String title = base;
        Matcher m = NUMBERED.matcher(base);
        if (m.matches()) {
            track = Integer.valueOf(m.group(2));
            title = m.group(3).strip();
            if (m.group(1) != null) {
                disc = Integer.valueOf(m.group(1));
            }
        }
        if (title.isEmpty()) {
            title = base;
        }
        for (String folder : sub) {
            Matcher d = DISC_FOLDER.matcher(folder.strip());
            if (d.matches()) {
                disc = Integer.valueOf(d.group(1));
            }
        }
        return Optional.of(new SongKey(key, artist, album, sub, fileName, format, title, track, disc));
    }

    public String artistName() {
        return artistFolder == null ? UNKNOWN_ARTIST : artistFolder;
    }

    public String albumName() {
        return albumFolder == null ? UNKNOWN_ALBUM : albumFolder;
    }

    public String songId() {
        return Ids.song(key);
    }

    public String albumId() {
        return Ids.album(artistFolder, albumFolder);
    }

    public String artistId() {
        return Ids.artist(artistFolder);
    }

    /** Sub-folders joined with "/", or null: shown as disc or section information. */
    public String subFolderPath() {
        return subFolders.isEmpty() ? null : String.join("/", subFolders);
    }
}
