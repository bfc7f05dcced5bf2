package dev.s3music.model;

/**
 * S3 event sequencers: hexadecimal strings that order the events of one key. AWS documents how to compare two:
 * pad the shorter with zeros on the right, then compare as text. Sequencers of different keys mean nothing
 * to each other.
 */
public final class Sequencers {

    private Sequencers() {
    }

    /**
     * Longest sequencer accepted from an event. S3 writes 16 to 18 hex digits (the embedded folder watcher 20); the
     * bound leaves room for longer ones and refuses absurd values (the catalog keeps the last sequencer of a key
     * forever). A well-formed forgery can only be kept out by who may send to the queue (its policy).
     */
    public static final int MAX_LENGTH = 32;

    /** True for a sequencer of S3's shape: 1 to {@link #MAX_LENGTH} hexadecimal digits, nothing else. */
    public static boolean isWellFormed(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}. */
    public static int compare(String a, String b) {
        int n = Math.max(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = i < a.length() ? a.charAt(i) : '0';
            char cb = i < b.length() ? b.charAt(i) : '0';
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
        }
        return 0;
    }

    /** True when {@code candidate} is strictly newer than {@code last}; everything is newer than nothing. */
    public static boolean isNewer(String candidate, String last) {
        return last == null || compare(candidate, last) > 0;
    }
}
