package dev.s3music.model.memory;

import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.CatalogLists;
import dev.s3music.model.CatalogLists.Range;
import dev.s3music.model.CatalogLists.SongFacts;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Page;
import dev.s3music.model.SearchWords;
import dev.s3music.model.Song;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The list indexes of {@link InMemoryCatalog} ({@link CatalogLists}: the same members as redis-store's sorted
 * sets, so both catalogs answer alike), kept up to date by every upsert and remove. Not thread-safe: the catalog
 * calls it under its lock. Each list call costs O(log n + what it returns), a year filter on another order or a
 * random pick O(albums or songs in the range).
 */
final class InMemoryLists {

    /** Per album: what its songs add up to (the counters redis-store keeps in its {@code ag:} hashes). */
    private static final class Tally {
        int songs;
        long duration;
        final Map<Integer, Integer> years = new HashMap<>();
        final Map<String, Integer> genres = new HashMap<>();
        final Map<String, Map<String, Integer>> spellings = new HashMap<>();
        final TreeMap<Long, Integer> added = new TreeMap<>();
    }

    private final Map<String, Tally> tallies = new HashMap<>();
    private final Map<String, String[]> albumMembers = new HashMap<>();
    private final Map<String, String> albumGenre = new HashMap<>();
    private final Map<String, AlbumInfo> infos = new HashMap<>();
    /** in {@link CatalogLists#ALBUM_INDEXES} order */
    private final List<TreeSet<String>> albumIndexes = new ArrayList<>();
    private final Map<String, SongFacts> facts = new HashMap<>();
    private final TreeSet<String> songYears = new TreeSet<>(SearchWords.BYTE_ORDER);
    private final TreeSet<String> songGenreYears = new TreeSet<>(SearchWords.BYTE_ORDER);
    private final TreeSet<String> songGenres = new TreeSet<>(SearchWords.BYTE_ORDER);
    private final Map<String, Integer> genreSongs = new HashMap<>();
    private final Map<String, Integer> genreAlbums = new HashMap<>();
    private final Map<String, Map<String, Integer>> genreSpellings = new HashMap<>();
    /** every song id, for uniform random picks in O(1) each */
    private final List<String> allIds = new ArrayList<>();
    private final Map<String, Integer> allPos = new HashMap<>();

    InMemoryLists() {
        for (int i = 0; i < CatalogLists.ALBUM_INDEXES.size(); i++) {
            albumIndexes.add(new TreeSet<>(SearchWords.BYTE_ORDER));
        }
    }

    // ---- writes ----

    /** A song (with its addedAt) joins the lists. */
    void add(Song s) {
        SongFacts f = CatalogLists.facts(s);
        facts.put(s.id(), f);
        allPos.put(s.id(), allIds.size());
        allIds.add(s.id());
        addIfSet(songYears, f.yearMember());
        addIfSet(songGenreYears, f.genreYearMember());
        addIfSet(songGenres, f.genreMember());
        Tally t = tallies.computeIfAbsent(s.albumId(), k -> new Tally());
        t.songs++;
        t.duration += f.durationSeconds();
        if (f.year() != null) {
            t.years.merge(f.year(), 1, Integer::sum);
        }
        if (f.genreKey() != null) {
            t.genres.merge(f.genreKey(), 1, Integer::sum);
            t.spellings.computeIfAbsent(f.genreKey(), k -> new HashMap<>()).merge(f.genreSpelling(), 1, Integer::sum);
            genreSongs.merge(f.genreKey(), 1, Integer::sum);
            genreSpellings.computeIfAbsent(f.genreKey(), k -> new HashMap<>()).merge(f.genreSpelling(), 1, Integer::sum);
        }
        t.added.merge(s.addedAt().toEpochMilli(), 1, Integer::sum);
        refreshAlbum(s);
    }

    /** A song (as it was added) leaves the lists. */
    void remove(Song s) {
        SongFacts f = facts.remove(s.id());
        if (f == null) {
            return;
        }
        int pos = allPos.remove(s.id());
        String last = allIds.remove(allIds.size() - 1);
        if (!last.equals(s.id())) {
            allIds.set(pos, last);
            allPos.put(last, pos);
        }
        removeIfSet(songYears, f.yearMember());
        removeIfSet(songGenreYears, f.genreYearMember());
        removeIfSet(songGenres, f.genreMember());
        Tally t = tallies.get(s.albumId());
        t.songs--;
        t.duration -= f.durationSeconds();
        if (f.year() != null) {
            decrement(t.years, f.year());
        }
        if (f.genreKey() != null) {
            decrement(t.genres, f.genreKey());
            decrement(t.spellings.get(f.genreKey()), f.genreSpelling());
            if (t.spellings.get(f.genreKey()).isEmpty()) {
                t.spellings.remove(f.genreKey());
            }
            decrement(genreSongs, f.genreKey());
            decrement(genreSpellings.get(f.genreKey()), f.genreSpelling());
            if (genreSpellings.get(f.genreKey()).isEmpty()) {
                genreSpellings.remove(f.genreKey());
            }
        }
        decrement(t.added, s.addedAt().toEpochMilli());
        refreshAlbum(s);
    }

    /** Re-derives the album of {@code s} (year, genre, added, members) from its tally; drops it when empty. */
    private void refreshAlbum(Song s) {
        String id = s.albumId();
        String[] old = albumMembers.remove(id);
        infos.remove(id);
        String oldGenre = albumGenre.remove(id);
        if (oldGenre != null) {
            decrement(genreAlbums, oldGenre);
        }
        Tally t = tallies.get(id);
        if (t == null || t.songs <= 0) {
            tallies.remove(id);
            replaceMembers(old, new String[CatalogLists.ALBUM_INDEXES.size()]);
            return;
        }
        Integer year = CatalogLists.pickYear(t.years);
        String gk = CatalogLists.pickText(t.genres);
        String spelling = gk == null ? null : CatalogLists.pickText(t.spellings.get(gk));
        long added = t.added.lastKey();
        String[] m = CatalogLists.albumMembers(id, CatalogLists.nameHead(s.albumName(), s.artistName()),
            CatalogLists.artistHead(s.albumName(), s.artistName()), year, gk, added);
        replaceMembers(old, m);
        albumMembers.put(id, m);
        if (gk != null) {
            albumGenre.put(id, gk);
            genreAlbums.merge(gk, 1, Integer::sum);
        }
        infos.put(id, new AlbumInfo(id, s.albumName(), new ArtistSummary(s.artistId(), s.artistName()), t.songs,
            t.duration, year, spelling, CatalogLists.instant(added), null));
    }

    /** Swaps an album's members in the indexes where they changed (most writes change one or none). */
    private void replaceMembers(String[] old, String[] now) {
        for (int i = 0; i < now.length; i++) {
            String before = old == null ? null : old[i];
            if (!java.util.Objects.equals(before, now[i])) {
                removeIfSet(albumIndexes.get(i), before);
                addIfSet(albumIndexes.get(i), now[i]);
            }
        }
    }

    private static void addIfSet(TreeSet<String> set, String member) {
        if (member != null) {
            set.add(member);
        }
    }

    private static void removeIfSet(TreeSet<String> set, String member) {
        if (member != null) {
            set.remove(member);
        }
    }

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    // ---- reads (arguments checked by the caller) ----

    AlbumInfo info(String albumId) {
        return infos.get(albumId);
    }

    /** One page of album ids as the query selects and orders them. */
    Page<String> albums(AlbumQuery q, int offset, int limit) {
        String base = q.genre() == null ? "" : CatalogLists.queryGenre(q.genre()) + CatalogLists.SEP;
        int set = q.genre() == null ? 0 : 4;
        int[] years = null;
        if (q.fromYear() != null) {
            years = CatalogLists.clampYears(q.fromYear(), q.toYear());
            if (years == null) {
                return new Page<>(List.of(), offset, limit, 0);
            }
        }
        switch (q.order()) {
            case YEAR -> {
                Range r = years != null ? CatalogLists.years(base, years[0], years[1])
                    : q.genre() == null ? Range.ALL : Range.prefix(base);
                NavigableSet<String> range = range(albumIndexes.get(set + 3), r);
                if (q.fromYear() != null && q.fromYear() > q.toYear()) {
                    range = range.descendingSet();
                }
                return page(range, offset, limit, CatalogLists::albumIdOf);
            }
            case RANDOM -> {
                Range r = years != null ? CatalogLists.years(base, years[0], years[1])
                    : q.genre() == null ? Range.ALL : Range.prefix(base);
                List<String> pool = new ArrayList<>(range(albumIndexes.get(set + (years != null ? 3 : 0)), r));
                int n = Math.max(0, Math.min(limit, pool.size() - offset));
                return new Page<>(sample(pool, n).stream().map(CatalogLists::albumIdOf).toList(), offset, limit, pool.size());
            }
            default -> {
                int index = set + switch (q.order()) {
                    case NAME -> 0;
                    case ARTIST -> 1;
                    default -> 2;
                };
                NavigableSet<String> range = range(albumIndexes.get(index), q.genre() == null ? Range.ALL : Range.prefix(base));
                if (years == null) {
                    return page(range, offset, limit, CatalogLists::albumIdOf);
                }
                // a year filter on another order: walk the order, reading each member's year, until the page is
                // full; the total is the year index's count of the same selection
                int total = range(albumIndexes.get(set + 3), CatalogLists.years(base, years[0], years[1])).size();
                List<String> items = new ArrayList<>();
                long matched = 0;
                for (String m : range) {
                    if (matched >= Math.min(total, (long) offset + limit)) {
                        break;
                    }
                    int y = CatalogLists.yearOf(m);
                    if (y >= years[0] && y <= years[1]) {
                        if (matched >= offset) {
                            items.add(CatalogLists.albumIdOf(m));
                        }
                        matched++;
                    }
                }
                return new Page<>(items, offset, limit, total);
            }
        }
    }

    Page<String> songsByGenre(String genreKey, int offset, int limit) {
        return page(range(songGenres, Range.prefix(genreKey + CatalogLists.SEP)), offset, limit, CatalogLists::songIdOf);
    }

    /** Up to {@code count} distinct random song ids; {@code years} null for no year filter. */
    List<String> randomSongs(int count, String genreKey, int[] years) {
        List<String> pool;
        if (genreKey == null && years == null) {
            return sample(allIds, Math.min(count, allIds.size()));
        } else if (genreKey == null) {
            pool = new ArrayList<>(range(songYears, CatalogLists.years("", years[0], years[1])));
        } else {
            String base = genreKey + CatalogLists.SEP;
            pool = new ArrayList<>(range(songGenreYears,
                years == null ? Range.prefix(base) : CatalogLists.years(base, years[0], years[1])));
        }
        return sample(pool, Math.min(count, pool.size())).stream().map(CatalogLists::songIdOf).toList();
    }

    List<GenreCount> genres() {
        return CatalogLists.genres(genreSongs, genreAlbums, genreSpellings);
    }

    private static NavigableSet<String> range(TreeSet<String> set, Range r) {
        return set.subSet(r.min(), true, r.max(), true);
    }

    private static Page<String> page(NavigableSet<String> range, int offset, int limit,
                                     java.util.function.Function<String, String> id) {
        List<String> items = new ArrayList<>(Math.min(limit, 1000));
        int total = 0;
        for (String m : range) {
            if (total >= offset && items.size() < limit) {
                items.add(id.apply(m));
            }
            total++;
        }
        return new Page<>(items, offset, limit, total);
    }

    /** {@code n} distinct elements drawn uniformly (a partial Fisher-Yates on the indexes touched only). */
    private static List<String> sample(List<String> pool, int n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<Integer, Integer> swapped = new HashMap<>();
        List<String> out = new ArrayList<>(n);
        int size = pool.size();
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(size - i);
            int at = swapped.getOrDefault(j, j);
            swapped.put(j, swapped.getOrDefault(i, i));
            out.add(pool.get(at));
        }
        return out;
    }
}
