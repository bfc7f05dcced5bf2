package dev.s3music.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The one definition of catalog ordering and search shared by every catalog adapter, so the in-memory and the
 * Redis catalog answer exactly alike.
 *
 * <p>Listings: members {@code sortKey \1 name \1 id}, ordered by their UTF-8 bytes (Redis' lexicographic order):
 * case- and accent-insensitive, ties broken by the exact name, then the id.
 *
 * <p>Search: a name is found when every query word is a prefix of one of its words (accent- and
 * case-insensitive). Each name has one index entry per distinct word, {@code word \1 words \1 id}, in the same
 * byte order. A query walks the entries starting with its word that has the fewest entries ({@link #pivot}:
 * counted per index, up to {@link #SCAN_CAP} + 1), keeps the names that match every word, and stops after
 * {@code limit} names or {@link #SCAN_CAP} entries. So a rare word finds its names even next to a common one
 * ("love me"), results come whole words first ("blue" before "blues"), then by name, and a query costs
 * O(words * log n + SCAN_CAP) whatever the size of the library.
 */
public final class SearchWords {

    /** Entries looked at per kind and query: bounds the cost of a query on a large library. */
    public static final int SCAN_CAP = 2000;
    public static final char SEP = '\u0001';

    /**
     * Byte order of the UTF-8 encodings (= code point order), the order of a Redis sorted set with equal scores.
     * Compares UTF-16 units and fixes up the one place where their order differs from code points' (surrogates
     * against U+E000..U+FFFF), as ICU's code point order does: no code point decoding per character, which made
     * it the hottest call of every catalog write.
     */
    public static final Comparator<String> BYTE_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca >= 0xD800 && cb >= 0xD800) {
                    // surrogates (supplementary code points) sort after U+E000..U+FFFF
                    ca = (char) (ca >= 0xE000 ? ca - 0x800 : ca + 0x2000);
                    cb = (char) (cb >= 0xE000 ? cb - 0x800 : cb + 0x2000);
                }
                return Integer.compare(ca, cb);
            }
        }
        return Integer.compare(a.length(), b.length());
    };

    private SearchWords() {
    }

    /** Distinct normalized words of a name or query, in order of appearance. */
    public static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String w : Names.sortKey(text).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return List.copyOf(out);
    }

    /** The listing member of a name: {@code sortKey \1 name \1 id}. */
    public static String listingMember(String name, String id) {
        return Names.sortKey(name) + SEP + name + SEP + id;
    }

    /** Splits a listing member or a search entry into its three fields. */
    public static String[] fields(String member) {
        int a = member.indexOf(SEP);
        int b = member.indexOf(SEP, a + 1);
        return new String[] {member.substring(0, a), member.substring(a + 1, b), member.substring(b + 1)};
    }

    /** The search entries of a name: one per distinct word. */
    public static List<String> entries(String name, String id) {
        List<String> ws = words(name);
        String joined = String.join(" ", ws);
        List<String> out = new ArrayList<>(ws.size());
        for (String w : ws) {
            out.add(w + SEP + joined + SEP + id);
        }
        return out;
    }

    /**
     * The query word that starts the walk: the one with the fewest index entries, where {@code entries} counts
     * the entries starting with a word (every adapter caps the count with {@link #countCap}: past the scan cap
     * the walk is cut anyway); ties go to the longest word in UTF-8 bytes, then the first.
     */
    public static String pivot(List<String> queryWords, ToLongFunction<String> entries) {
        String best = null;
        long bestCount = 0;
        int bestLen = 0;
        for (String w : queryWords) {
            long n = countCap(entries.applyAsLong(w));
            int len = w.getBytes(StandardCharsets.UTF_8).length;
            if (best == null || n < bestCount || (n == bestCount && len > bestLen)) {
                best = w;
                bestCount = n;
                bestLen = len;
            }
        }
        return best;
    }

    /** A word's entry count as {@link #pivot} compares it: at most {@link #SCAN_CAP} + 1. */
    public static long countCap(long entries) {
        return Math.min(entries, SCAN_CAP + 1L);
    }

    /**
     * An upper bound for the entries starting with {@code prefix} in {@link #BYTE_ORDER}: the prefix followed by
     * U+10FFFF (the greatest code point; a noncharacter, so never part of a word).
     */
    public static String prefixEnd(String prefix) {
        return prefix + "\uDBFF\uDFFF";
    }

    /** True when every query word is a prefix of one of the entry's words. */
    public static boolean matches(String joinedWords, List<String> queryWords) {
        String padded = " " + joinedWords;
        for (String q : queryWords) {
            if (!padded.contains(" " + q)) {
                return false;
            }
        }
        return true;
    }
}
