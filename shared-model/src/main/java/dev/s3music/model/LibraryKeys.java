package dev.s3music.model;

/**
 * What an S3 key of the library may look like. Ids decode to keys, so this is the guard that keeps a forged id
 * from reaching anything outside the library: no absolute keys, no {@code .} or {@code ..} segments, no empty
 * segments, no control characters, nothing under the server's reserved prefix.
 */
public final class LibraryKeys {

    /** Keys under this prefix belong to the server (accounts, caches), never to the music library. */
    public static final String RESERVED_PREFIX = ".s3music/";

    /** S3 caps keys at 1024 UTF-8 bytes; a longer decoded id cannot be a key. */
    public static final int MAX_KEY_LENGTH = 1024;

    private LibraryKeys() {
    }

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH
            || key.startsWith("/") || key.startsWith(RESERVED_PREFIX)) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                return false;
            }
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals(".") || s.equals("..")) {
                return false;
            }
            // an empty segment is only allowed last (a folder placeholder "a/b/")
            if (s.isEmpty() && i != segments.length - 1) {
                return false;
            }
        }
        return true;
    }
}
