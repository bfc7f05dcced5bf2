package dev.s3music.model;

/**
 * Shapes of entity tags, bare (without quotes). An ETag travels from S3 events and listings into the catalog, and
 * from there into an {@code If-Match} to S3 and the {@code ETag} header of an HTTP response: a value with a quote,
 * a control character or a line break there is a header injection or a request that cannot be sent.
 */
public final class Etags {

    /** Longer than any S3 ETag (32 hex digits, {@code -N} for multipart) or any store's we know. */
    public static final int MAX_LENGTH = 128;

    private Etags() {
    }

    /**
     * True for the ETags S3 writes: hexadecimal (an MD5, or another digest with server-side encryption), with
     * {@code -N} (parts) for multipart uploads. What the indexer accepts from an event.
     */
    public static boolean isS3Shaped(String bare) {
        if (bare == null || bare.isEmpty() || bare.length() > MAX_LENGTH) {
            return false;
        }
        int dash = bare.indexOf('-');
        String digest = dash < 0 ? bare : bare.substring(0, dash);
        if (digest.isEmpty() || !isHex(digest)) {
            return false;
        }
        if (dash < 0) {
            return true;
        }
        String parts = bare.substring(dash + 1);
        if (parts.isEmpty() || parts.length() > 5) {
            return false;
        }
        for (int i = 0; i < parts.length(); i++) {
            if (parts.charAt(i) < '0' || parts.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code "bare"} is a valid entity tag in an HTTP header (RFC 9110 8.8.3: visible ASCII but the
     * double quote; obs-text refused too, and backslash, which some parsers treat as an escape). What a value
     * from the catalog must satisfy before it becomes a header.
     */
    public static boolean isHeaderSafe(String bare) {
        if (bare == null || bare.isEmpty() || bare.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
