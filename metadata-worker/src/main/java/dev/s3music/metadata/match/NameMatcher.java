package dev.s3music.metadata.match;

import dev.s3music.metadata.model.Candidate;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Matches catalog folder names to provider entities. A match is confident or absent, never "the first hit":
 *
 * <ul>
 *   <li>names are compared normalized: case, accents, punctuation, {@code &} = {@code and}, a leading "The" or
 *       a trailing ", The";</li>
 *   <li>levels, best first: {@link Level#EXACT} (equal normalized), {@link Level#NAMESAKE} (equal once Discogs'
 *       " (N)" disambiguation suffix is removed), {@link Level#LOOSE} (equal once bracketed qualifiers such as
 *       "(Remastered)" and a leading year are removed). Containment ("Bossa N' Coldplay" for "Coldplay") is no
 *       match at all;</li>
 *   <li>only the best level present counts: exact beats namesake beats loose;</li>
 *   <li>artists: several different entities at the best level (two "Steve Strange (n)") is ambiguous: no match;</li>
 *   <li>albums: the title decides first, then how well the credited artist matches; remaining ties among
 *       equally good albums of the same artist (Discogs lists duplicate masters) go to the earliest year, then
 *       the lowest id, which is deterministic and favours the original entry.</li>
 * </ul>
 */
public final class NameMatcher {

    /** How well two names agree, best first. NONE is no match. */
    public enum Level { EXACT, NAMESAKE, LOOSE, NONE }

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NAMESAKE_SUFFIX = Pattern.compile("\\s*\\(\\d+\\)\\s*$");
    private static final Pattern NAMESAKE_ANYWHERE = Pattern.compile("\\s*\\(\\d+\\)(?=\\s|$|\\*)");
    private static final Pattern BRACKETS = Pattern.compile("\\s*[\\(\\[\\{][^\\)\\]\\}]*[\\)\\]\\}]");
    private static final Pattern LEADING_YEAR = Pattern.compile("^\\s*(?:19|20)\\d{2}\\s*(?:[-.:_]\\s*)?(?=\\S)");
    private static final Pattern ELIDED = Pattern.compile("['’`´.]");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Joiners between names in a Discogs artist credit. */
    private static final Pattern CREDIT_SPLIT =
        Pattern.compile("\\s+(?:–|—|&|and|/|x|vs\\.?|feat\\.?|ft\\.?|featuring|with)\\s+|\\s*,\\s*|\\*",
            Pattern.CASE_INSENSITIVE);

    private NameMatcher() {
    }

    /** Lower case, no accents, {@code &} as "and", no leading "The"/trailing ", The", punctuation as spaces. */
    public static String normalize(String s) {
        if (s == null) {
            return "";
        }
        String n = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFKD)).replaceAll("")
            .toLowerCase(Locale.ROOT).strip();
        n = n.replace("&", " and ").replace("+", " and ");
        if (n.endsWith(", the")) {
            n = n.substring(0, n.length() - 5);
        }
        n = ELIDED.matcher(n).replaceAll("");
        n = NON_WORD.matcher(n).replaceAll(" ").strip();
        if (n.startsWith("the ")) {
            n = n.substring(4);
        }
        return n;
    }

    /** "Dave Holmes (7)" -> "Dave Holmes". */
    public static String withoutNamesake(String s) {
        return s == null ? "" : NAMESAKE_SUFFIX.matcher(s).replaceAll("");
    }

    /** "2005 - X&Y (Remastered) [Deluxe]" -> "X&Y". */
    public static String withoutQualifiers(String s) {
        if (s == null) {
            return "";
        }
        String t = LEADING_YEAR.matcher(s).replaceFirst("");
        String stripped = BRACKETS.matcher(t).replaceAll("").strip();
        return stripped.isEmpty() ? t.strip() : stripped;
    }

    /** How well a provider name agrees with a catalog name. */
    public static Level level(String wanted, String candidate) {
        String w = normalize(wanted);
        if (w.isEmpty()) {
            return Level.NONE;
        }
        if (w.equals(normalize(candidate))) {
            return Level.EXACT;
        }
        if (!candidate.equals(withoutNamesake(candidate)) && w.equals(normalize(withoutNamesake(candidate)))) {
            return Level.NAMESAKE;
        }
        String lw = normalize(withoutQualifiers(withoutNamesake(wanted)));
        if (!lw.isEmpty() && lw.equals(normalize(withoutQualifiers(withoutNamesake(candidate))))) {
            return Level.LOOSE;
        }
        return Level.NONE;
    }

    /** The artist among the hits, or empty when none matches or the best ones are different namesakes. */
    public static Optional<Candidate> bestArtist(String name, List<Candidate> hits) {
        Map<Long, Candidate> byId = new LinkedHashMap<>();
        Level best = Level.NONE;
        for (Candidate c : hits) {
            if (c.type() != Candidate.Type.ARTIST) {
                continue;
            }
            Level l = level(name, c.title());
            if (l == Level.NONE || l.compareTo(best) > 0) {
                continue;
            }
            if (l.compareTo(best) < 0) {
                byId.clear();
                best = l;
            }
            byId.put(c.id(), c);
        }
        return byId.size() == 1 ? Optional.of(byId.values().iterator().next()) : Optional.empty();
    }

    /** A scored album hit. */
    private record Scored(Candidate c, Level title, Level artist) {
    }

    /**
     * The album among the hits of one kind, for this artist and title. Search hits of albums are titled
     * "Artist - Album"; discography entries carry the artist apart.
     */
    public static Optional<Candidate> bestAlbum(String artist, String album, List<Candidate> hits) {
        List<Scored> scored = new ArrayList<>();
        for (Candidate c : hits) {
            if (c.type() == Candidate.Type.ARTIST) {
                continue;
            }
            Scored s = score(artist, album, c);
            if (s != null) {
                scored.add(s);
            }
        }
        return scored.stream()
            .min(Comparator.comparing(Scored::title).thenComparing(Scored::artist)
                .thenComparing(s -> s.c.year() == null ? Integer.MAX_VALUE : s.c.year())
                .thenComparingLong(s -> s.c.id()))
            .map(Scored::c);
    }

    private static Scored score(String artist, String album, Candidate c) {
        if (c.artist() != null) {
            Level a = artistCreditLevel(artist, c.artist());
            Level t = level(album, c.title());
            return a == Level.NONE || t == Level.NONE ? null : new Scored(c, t, a);
        }
        // "Artist - Album": try each " - " as the separator (artist names and titles may contain one)
        Scored best = null;
        String title = c.title();
        for (int i = title.indexOf(" - "); i >= 0; i = title.indexOf(" - ", i + 1)) {
            Level a = artistCreditLevel(artist, title.substring(0, i));
            Level t = level(album, title.substring(i + 3));
            if (a != Level.NONE && t != Level.NONE) {
                Scored s = new Scored(c, t, a);
                if (best == null || t.compareTo(best.title) < 0 || (t == best.title && a.compareTo(best.artist) < 0)) {
                    best = s;
                }
            }
        }
        return best;
    }

    /**
     * How well a catalog artist agrees with a credit such as "Maurice Ravel – Charles Munch, Orchestre De Paris"
     * or "Ravel*": the whole credit, or one of its names.
     */
    public static Level artistCreditLevel(String artist, String credit) {
        Level whole = level(artist, NAMESAKE_ANYWHERE.matcher(credit).replaceAll(""));
        if (whole == Level.EXACT) {
            return whole;
        }
        if (whole != Level.NONE) {
            return whole;
        }
        // one name of several: at best LOOSE, so a credit that is exactly the artist wins over a shared one
        for (String part : CREDIT_SPLIT.split(credit)) {
            if (!part.isBlank() && level(artist, part.strip()) != Level.NONE) {
                return Level.LOOSE;
            }
        }
        return Level.NONE;
    }
}
