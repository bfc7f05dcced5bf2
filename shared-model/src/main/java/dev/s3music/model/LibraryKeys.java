package dev.s3music.model;

/**
 * What an S3 key of the library may look like. Ids decode to keys, so this is the guard that keeps a forged id
 * from reaching anything outside the library: no absolute keys, no {@code .} or {@code ..} segments, no empty
 * segments, no control characters, nothing under the server's reserved prefix.
 */
public final class LibraryKeys {

    /** Keys under this prefix belong to the server (accounts, caches), never to the music library. */
    public static final String RESERVED_PREFIX = ".s3music/";

    /** S3 caps keys at 1024 UTF-8 bytes (not characters); a longer decoded id cannot be a key. */
    public static final int MAX_KEY_LENGTH = 1024;

    private LibraryKeys() {
    }

    public static boolean isValid(String key) {
        // length() counts UTF-16 units, never more than UTF-8 bytes: a cheap first bound before counting bytes
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH
            || key.startsWith("/") || key.startsWith(RESERVED_PREFIX)) {
            return false;
        }
        int utf8Bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return false; // a lone surrogate has no UTF-8 form: no S3 key can hold it
                }
                utf8Bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else {
                utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (utf8Bytes > MAX_KEY_LENGTH) {
            return false;
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
