package dev.s3music.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Conditional request evaluation (RFC 9110 section 13) against one representation's validators: entity-tag
 * lists, strong and weak comparison, and HTTP dates. Small and hand-written for the same reason as
 * {@link ByteRanges}: vertx-web only evaluates conditionals inside its file-serving handler.
 */
public final class Conditionals {

    /** IMF-fixdate, the one format we send; parsing accepts it and nothing looser (RFC 9110 5.6.7). */
    private static final DateTimeFormatter IMF_FIXDATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** What a header said about the current entity tag. */
    public enum Match { ABSENT, MATCH, NO_MATCH }

    private Conditionals() {
    }

    public static String httpDate(Instant instant) {
        return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** An HTTP date, or null when the value is absent or not a valid IMF-fixdate (then the header is ignored). */
    public static Instant parseDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), IMF_FIXDATE).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Evaluates an {@code If-Match} / {@code If-None-Match} field value ({@code *} or a list of entity tags)
     * against the current tag.
     *
     * @param current the current ETag as sent ({@code "abc"}, quoted)
     * @param strong  strong comparison (If-Match, If-Range) or weak (If-None-Match)
     * @return ABSENT when the header is missing or malformed (a malformed field is ignored), else MATCH/NO_MATCH
     */
    public static Match matches(String header, String current, boolean strong) {
        if (header == null) {
            return Match.ABSENT;
        }
        String h = header.strip();
        if (h.equals("*")) {
            return Match.MATCH;
        }
        boolean currentWeak = current.startsWith("W/");
        String currentOpaque = currentWeak ? current.substring(2) : current;
        boolean found = false;
        int i = 0;
        int n = h.length();
        boolean any = false;
        while (i < n) {
            char c = h.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean weak = false;
            if (c == 'W' && i + 1 < n && h.charAt(i + 1) == '/') {
                weak = true;
                i += 2;
            }
            if (i >= n || h.charAt(i) != '"') {
                return Match.ABSENT;
            }
            int end = i + 1;
            while (end < n && h.charAt(end) != '"') {
                char e = h.charAt(end);
                if (e < 0x21 || e == 0x7f) {
                    return Match.ABSENT;
                }
                end++;
            }
            if (end >= n) {
                return Match.ABSENT;
            }
            String opaque = h.substring(i, end + 1);
            any = true;
            if (opaque.equals(currentOpaque) && (!strong || (!weak && !currentWeak))) {
                found = true;
            }
            i = end + 1;
            if (i < n && h.charAt(i) != ',' && h.charAt(i) != ' ' && h.charAt(i) != '\t') {
                return Match.ABSENT;
            }
        }
        if (!any) {
            return Match.ABSENT;
        }
        return found ? Match.MATCH : Match.NO_MATCH;
    }

    /**
     * {@code If-Range}: true when the Range may be honoured. An entity tag must match strongly; a date must equal
     * the Last-Modified (to the second). Anything else, including a malformed value, means "send everything".
     */
    public static boolean ifRangeHolds(String ifRange, String currentEtag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return !v.startsWith("W/") && v.indexOf(',') < 0 && matches(v, currentEtag, true) == Match.MATCH;
        }
        Instant date = parseDate(v);
        return date != null && date.equals(lastModified.truncatedTo(ChronoUnit.SECONDS));
    }

    /** True when the resource was modified after {@code date} (second precision, as HTTP dates have). */
    public static boolean modifiedSince(Instant lastModified, Instant date) {
        return lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(date);
    }
}
