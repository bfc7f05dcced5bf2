package dev.s3music.model;

/**
 * S3 event sequencers: hexadecimal strings that order the events of one key. AWS documents how to compare two:
 * pad the shorter with zeros on the right, then compare as text. Sequencers of different keys mean nothing
 * to each other.
 */
public final class Sequencers {

    private Sequencers() {
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
