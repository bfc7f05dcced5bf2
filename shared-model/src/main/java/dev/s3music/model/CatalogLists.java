package dev.s3music.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one definition of the catalog's lists (albums by order and filter, songs by genre, random picks, genres)
 * shared by every catalog adapter, as {@link SearchWords} is for listings and search: both adapters keep the same
 * index members in the same byte order (a Redis sorted set with equal scores, a {@code TreeSet} with
 * {@link SearchWords#BYTE_ORDER} in memory), so they answer exactly alike.
 *
 * <p>What a song contributes ({@link #facts}): its year (tags, 1 to 9999, else none), its genre key
 * ({@link Names#sortKey} of the tag, none when blank) and spelling (the tag, stripped), its duration (tags, when
 * positive). An album's year and genre are the most common among its songs (ties: the smaller year, the genre key
 * first in byte order; the album shows the most common spelling of that key among its songs, ties by byte order);
 * its {@code addedAt} is its newest song's.
 *
 * <p>Index members, fields joined by {@link #SEP} ({@code \1}, below every character of a name), ordered by bytes:
 * <pre>
 *   albums, every one                         by genre (only albums with a genre)
 *   a:name   nameHead   \1 id \1 yyyy          g:name   gk \1 nameHead   \1 id \1 yyyy
 *   a:artist artistHead \1 id \1 yyyy          g:artist gk \1 artistHead \1 id \1 yyyy
 *   a:added  invMs      \1 id \1 yyyy          g:added  gk \1 invMs      \1 id \1 yyyy
 *   a:year   yyyy       \1 id \1 yyyy (year)   g:year   gk \1 yyyy       \1 id \1 yyyy (year)
 *   songs
 *   s:year   yyyy \1 id                      (songs with a year)
 *   s:gyear  gk \1 yyyy \1 id                (songs with a genre; yyyy 0000 when none)
 *   s:genre  gk \1 artistMember \1 albumMember \1 playOrder \1 id   (songs with a genre: songsByGenre's order)
 * </pre>
 * {@code nameHead} is {@code sortKey(album) \1 album \1 sortKey(artist) \1 artist}, {@code artistHead} the same
 * with artist first; {@code yyyy} the year in four digits ({@code 0000}: none); {@code invMs} 9999999999999 minus
 * addedAt in epoch ms, thirteen digits (newest first); {@code playOrder} encodes
 * {@code InMemoryCatalog.SONG_ORDER} (disc, sub-folder, track, title, key). Every album member ends with
 * {@code id \1 yyyy}, so a year filter on another order walks the order's members and reads the year off each.
 */
public final class CatalogLists {

    public static final char SEP = SearchWords.SEP;
    public static final int MIN_YEAR = 1;
    public static final int MAX_YEAR = 9999;
    /** "no year" in members: below every year, so a year range (from 1) never holds it */
    public static final String NO_YEAR = "0000";
    private static final long MS_CEILING = 9_999_999_999_999L;

    private CatalogLists() {
    }

    /** What one song adds to the lists. Null fields: the song has none. */
    public record SongFacts(Integer year, String genreKey, String genreSpelling, int durationSeconds,
                            String yearMember, String genreYearMember, String genreMember) {
    }

    public static Integer year(SongTags t) {
        return t == null || t.year() == null || t.year() < MIN_YEAR || t.year() > MAX_YEAR ? null : t.year();
    }

    /** The genre key of a tag or a query: its {@link Names#sortKey}, null when blank. */
    public static String genreKey(String genre) {
        if (genre == null) {
            return null;
        }
        String k = Names.sortKey(genre);
        return k.isEmpty() ? null : k;
    }

    public static String yyyy(Integer year) {
        return year == null ? NO_YEAR : String.format(Locale.ROOT, "%04d", year);
    }

    public static SongFacts facts(Song s) {
        SongTags t = s.tags();
        Integer year = year(t);
        String gk = t == null ? null : genreKey(t.genre());
        String spelling = gk == null ? null : t.genre().strip();
        int dur = t != null && t.durationSeconds() != null && t.durationSeconds() > 0 ? t.durationSeconds() : 0;
        String y = yyyy(year);
        return new SongFacts(year, gk, spelling, dur,
            year == null ? null : y + SEP + s.id(),
            gk == null ? null : gk + SEP + y + SEP + s.id(),
            gk == null ? null : gk + SEP + SearchWords.listingMember(s.artistName(), s.artistId()) + SEP
                + SearchWords.listingMember(s.albumName(), s.albumId()) + SEP + playOrder(s) + SEP + s.id());
    }

    /** {@code SONG_ORDER} as bytes: disc (missing last), sub-folder (missing first), track, title, key. */
    static String playOrder(Song s) {
        return number(s.disc()) + SEP + (s.subFolder() == null ? "" : "!" + Names.sortKey(s.subFolder())) + SEP
            + number(s.track()) + SEP + Names.sortKey(s.title()) + SEP + s.key();
    }

    /** Ten digits of {@code n + 2^31} (negatives too), or "~" (after every digit) when missing. */
    private static String number(Integer n) {
        return n == null ? "~" : String.format(Locale.ROOT, "%010d", (long) n + 2_147_483_648L);
    }

    public static String nameHead(String albumName, String artistName) {
        return Names.sortKey(albumName) + SEP + albumName + SEP + Names.sortKey(artistName) + SEP + artistName;
    }

    public static String artistHead(String albumName, String artistName) {
        return Names.sortKey(artistName) + SEP + artistName + SEP + Names.sortKey(albumName) + SEP + albumName;
    }

    public static String invMs(long addedMs) {
        return String.format(Locale.ROOT, "%013d", MS_CEILING - Math.max(0, Math.min(addedMs, MS_CEILING)));
    }

    /** The index names of album members, in the order of {@link #albumMembers}. */
    public static final List<String> ALBUM_INDEXES =
        List.of("a:name", "a:artist", "a:added", "a:year", "g:name", "g:artist", "g:added", "g:year");

    /** The eight members of an album (null where it is in no such index), in {@link #ALBUM_INDEXES} order. */
    public static String[] albumMembers(String id, String nameHead, String artistHead, Integer year, String genreKey,
                                        long addedMs) {
        String tail = String.valueOf(SEP) + id + SEP + yyyy(year);
        String y = yyyy(year);
        String inv = invMs(addedMs);
        String[] m = new String[8];
        m[0] = nameHead + tail;
        m[1] = artistHead + tail;
        m[2] = inv + tail;
        m[3] = year == null ? null : y + tail;
        if (genreKey != null) {
            String g = genreKey + SEP;
            m[4] = g + m[0];
            m[5] = g + m[1];
            m[6] = g + m[2];
            m[7] = year == null ? null : g + m[3];
        }
        return m;
    }

    /** The album id of an album member (the field before the last). */
    public static String albumIdOf(String member) {
        int last = member.lastIndexOf(SEP);
        return member.substring(member.lastIndexOf(SEP, last - 1) + 1, last);
    }

    /** The year field of an album member (its last four characters). */
    public static int yearOf(String member) {
        return Integer.parseInt(member.substring(member.length() - 4));
    }

    /** The song id of a song member (the last field). */
    public static String songIdOf(String member) {
        return member.substring(member.lastIndexOf(SEP) + 1);
    }

    /** Above every character of a member (U+10FFFF, a noncharacter; the largest in UTF-8 byte order too). */
    public static final String TOP = new String(Character.toChars(Character.MAX_CODE_POINT));

    /** A lexicographic range of members, both ends included; {@code min} "" and {@code max} {@link #TOP}: all. */
    public record Range(String min, String max) {
        public static final Range ALL = new Range("", TOP);

        /** Every member starting with {@code prefix}. */
        public static Range prefix(String prefix) {
            return new Range(prefix, prefix + TOP);
        }
    }

    /** A year range as members' prefixes: years {@code lo..hi} of {@code base} ("" or "gk \1"). */
    public static Range years(String base, int lo, int hi) {
        return new Range(base + yyyy(lo), base + yyyy(hi) + TOP);
    }

    /**
     * The answer of a year query clamped to real years: {@code [lo, hi]} within 1..9999, or null when the range
     * holds no real year.
     */
    public static int[] clampYears(int from, int to) {
        int lo = Math.max(Math.min(from, to), MIN_YEAR);
        int hi = Math.min(Math.max(from, to), MAX_YEAR);
        return lo > hi ? null : new int[] {lo, hi};
    }

    // ---- album and genre aggregates: the pick rules (redis-store's lists.lua follows them) ----

    /** The most common year (ties: the smaller), or null. */
    public static Integer pickYear(Map<Integer, Integer> counts) {
        Integer best = null;
        int bestN = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            int n = e.getValue();
            if (n > 0 && (n > bestN || (n == bestN && e.getKey() < best))) {
                best = e.getKey();
                bestN = n;
            }
        }
        return best;
    }

    /** The most common text (ties: the first in byte order), or null. */
    public static String pickText(Map<String, Integer> counts) {
        String best = null;
        int bestN = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            int n = e.getValue();
            if (n > 0 && (n > bestN || (n == bestN && SearchWords.BYTE_ORDER.compare(e.getKey(), best) < 0))) {
                best = e.getKey();
                bestN = n;
            }
        }
        return best;
    }

    /** Genres in name order: sort key, then the name (byte order). */
    public static final Comparator<GenreCount> GENRE_ORDER = Comparator
        .comparing((GenreCount g) -> Names.sortKey(g.name()), SearchWords.BYTE_ORDER)
        .thenComparing(GenreCount::name, SearchWords.BYTE_ORDER);

    /**
     * The genre list from its counters: per genre key the songs, the albums (whose genre it is) and each spelling's
     * songs. Genres without songs are left out.
     */
    public static List<GenreCount> genres(Map<String, Integer> songs, Map<String, Integer> albums,
                                          Map<String, Map<String, Integer>> spellings) {
        List<GenreCount> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : songs.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            String name = pickText(spellings.getOrDefault(e.getKey(), Map.of()));
            out.add(new GenreCount(name == null ? e.getKey() : name, e.getValue(), albums.getOrDefault(e.getKey(), 0)));
        }
        out.sort(GENRE_ORDER);
        return out;
    }

    /**
     * The genre list from the flat counter fields redis-store keeps in one hash: {@code s\1gk} songs,
     * {@code a\1gk} albums, {@code n\1gk\1spelling} songs of a spelling.
     */
    public static List<GenreCount> genresFromFields(Map<String, String> fields) {
        Map<String, Integer> songs = new HashMap<>();
        Map<String, Integer> albums = new HashMap<>();
        Map<String, Map<String, Integer>> spellings = new HashMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String f = e.getKey();
            int n = Integer.parseInt(e.getValue());
            if (f.length() < 2 || f.charAt(1) != SEP) {
                continue;
            }
            String rest = f.substring(2);
            switch (f.charAt(0)) {
                case 's' -> songs.put(rest, n);
                case 'a' -> albums.put(rest, n);
                case 'n' -> {
                    int i = rest.indexOf(SEP);
                    if (i > 0) {
                        spellings.computeIfAbsent(rest.substring(0, i), k -> new HashMap<>()).put(rest.substring(i + 1), n);
                    }
                }
                default -> { }
            }
        }
        return genres(songs, albums, spellings);
    }

    /** Checks paging arguments: offset and limit not negative. */
    public static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new DomainException(DomainException.Kind.INVALID, "offset and limit must not be negative");
        }
    }

    /** Checks a count of random picks: not negative. */
    public static void checkCount(int count) {
        if (count < 0) {
            throw new DomainException(DomainException.Kind.INVALID, "count must not be negative");
        }
    }

    /** The genre key of a query's genre; a blank genre is invalid. */
    public static String queryGenre(String genre) {
        String gk = genreKey(genre);
        if (gk == null) {
            throw new DomainException(DomainException.Kind.INVALID, "genre must not be blank");
        }
        return gk;
    }

    /** Ids in the order given, without repeats. */
    public static List<String> distinct(Collection<String> ids) {
        return List.copyOf(new java.util.LinkedHashSet<>(ids));
    }

    public static Instant instant(long ms) {
        return Instant.ofEpochMilli(ms);
    }
}
