package dev.s3music.api;

import dev.s3music.model.ByteRange;

/**
 * A strict parser of the HTTP {@code Range} request header (RFC 9110 section 14), for single byte ranges.
 *
 * <p>Hand-written because no library offers one to Vert.x: vertx-web's {@code StaticHandler} parses ranges
 * privately, for files only, and lenient enough to accept what the RFC calls invalid; Netty has none. The grammar
 * is small and the decisions matter (200 vs 206 vs 416), so they are stated here and tested exhaustively:
 *
 * <ul>
 *   <li>absent, not {@code bytes}, syntactically invalid, or holding more than one range: {@link Ignore} - the
 *       server answers 200 with the whole representation, as RFC 9110 section 14.2 allows (we do not send
 *       multipart/byteranges: players never ask for them);</li>
 *   <li>one satisfiable range: {@link Satisfiable}, clipped to the size ({@code last-pos} past the end, or a
 *       suffix longer than the object, means "to the end");</li>
 *   <li>one unsatisfiable range ({@code first-pos >= size}, or {@code bytes=-0}): {@link Unsatisfiable} -> 416
 *       with {@code Content-Range: bytes *}{@code /size}.</li>
 * </ul>
 * An empty representation has no byte to range over: every range on it is ignored (200 with an empty body).
 */
public final class ByteRanges {

    /** A Range header longer than this is not one a player sends: ignored. */
    static final int MAX_HEADER_LENGTH = 256;

    public sealed interface Result permits Ignore, Satisfiable, Unsatisfiable {
    }

    /** Serve the whole representation (200). */
    public record Ignore() implements Result {
    }

    /** Serve this range (206). */
    public record Satisfiable(ByteRange range) implements Result {
    }

    /** Answer 416. */
    public record Unsatisfiable() implements Result {
    }

    private static final Ignore IGNORE = new Ignore();
    private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    private ByteRanges() {
    }

    /**
     * @param header the Range header value, or null
     * @param size   the size of the representation in bytes
     */
    public static Result parse(String header, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        if (header == null || header.length() > MAX_HEADER_LENGTH) {
            return IGNORE;
        }
        int eq = header.indexOf('=');
        if (eq <= 0 || !header.substring(0, eq).equalsIgnoreCase("bytes")) {
            return IGNORE; // no unit, or a unit we do not serve
        }
        String set = header.substring(eq + 1);
        // range-set = 1#range-spec: comma-separated, optional whitespace around elements, empty elements allowed
        String spec = null;
        for (String element : set.split(",", -1)) {
            String e = stripOws(element);
            if (e.isEmpty()) {
                continue;
            }
            if (spec != null) {
                return IGNORE; // more than one range: we ignore multi-range requests
            }
            spec = e;
        }
        if (spec == null) {
            return IGNORE;
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return IGNORE;
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (first.isEmpty()) {
            // suffix-range = "-" suffix-length
            if (!digits(last)) {
                return IGNORE;
            }
            long n = number(last);
            if (size == 0) {
                return IGNORE;
            }
            if (n == 0) {
                return UNSATISFIABLE;
            }
            return new Satisfiable(new ByteRange(Math.max(0, size - n), size - 1));
        }
        // int-range = first-pos "-" [ last-pos ]
        if (!digits(first) || !(last.isEmpty() || digits(last))) {
            return IGNORE;
        }
        long f = number(first);
        long l = last.isEmpty() ? Long.MAX_VALUE : number(last);
        if (l < f) {
            return IGNORE; // invalid range-spec: the whole header is ignored (RFC 9110 14.1.1)
        }
        if (size == 0) {
            return IGNORE;
        }
        if (f >= size) {
            return UNSATISFIABLE;
        }
        return new Satisfiable(new ByteRange(f, Math.min(l, size - 1)));
    }

    /** The Content-Range value of a 206. */
    public static String contentRange(ByteRange range, long size) {
        return "bytes " + range.first() + "-" + range.last() + "/" + size;
    }

    /** The Content-Range value of a 416. */
    public static String unsatisfiedRange(long size) {
        return "bytes */" + size;
    }

    private static String stripOws(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A DIGIT string as a long; numbers past Long.MAX_VALUE saturate (they are past any object's end). */
    private static long number(String digits) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
