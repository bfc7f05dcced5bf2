package dev.s3music.model.memory;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.CatalogLists;
import dev.s3music.model.GenreCount;
import dev.s3music.model.AlbumArt;
import dev.s3music.model.AlbumSummary;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Names;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.SearchWords;
import dev.s3music.model.Sequencers;
import dev.s3music.model.Song;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The catalog in memory: the embedded default ({@code USE_REDIS=false}) and unit tests. Thread-safe, so API and
 * indexer verticles on different event loops can share one instance. Every call completes at once.
 *
 * <p>It keeps the same structures as the Redis catalog (listing members and search entries of
 * {@link SearchWords}, the list members of {@link CatalogLists} in {@link InMemoryLists}, per-key sequencer state
 * with tombstones) so both answer exactly alike; the contract test suite {@code CatalogContractTest} runs against
 * both.
 */
public final class InMemoryCatalog implements Catalog {

    /** Play order inside an album: disc, sub-folder, track, title, key. Missing numbers sort last. */
    public static final Comparator<Song> SONG_ORDER = Comparator
        .comparing(Song::disc, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Song::subFolder, Comparator.nullsFirst(Comparator.comparing(Names::sortKey)))
        .thenComparing(Song::track, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing((Song s) -> Names.sortKey(s.title()))
        .thenComparing(Song::key);

    /** Last event applied to a key: its sequencer and when (catalog clock). Kept after a remove (tombstone). */
    private record KeyState(String sequencer, long at) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Song> songsByKey = new HashMap<>();
    private final Map<String, Song> songsById = new HashMap<>();
    /** Listing members ({@link SearchWords#listingMember}) of artists. */
    private final TreeSet<String> artists = new TreeSet<>(SearchWords.BYTE_ORDER);
    /** artist or album id -> its listing member */
    private final Map<String, String> members = new HashMap<>();
    /** artist id -> listing members of its albums */
    private final Map<String, TreeSet<String>> albumsByArtist = new HashMap<>();
    /** album id -> song key -> song */
    private final Map<String, Map<String, Song>> songsByAlbum = new HashMap<>();
    private final TreeSet<String> artistIndex = new TreeSet<>(SearchWords.BYTE_ORDER);
    private final TreeSet<String> albumIndex = new TreeSet<>(SearchWords.BYTE_ORDER);
    private final TreeSet<String> songIndex = new TreeSet<>(SearchWords.BYTE_ORDER);
    /** sorted: {@link #pruneTombstones} walks it with a key cursor */
    private final java.util.TreeMap<String, KeyState> keyStates = new java.util.TreeMap<>();
    /** album id -> its art keys, preferred first */
    private final Map<String, TreeSet<String>> art = new HashMap<>();
    /** every key held: songs and art, for paged key listings */
    private final TreeSet<String> allKeys = new TreeSet<>();
    /** albums by order and filter, songs by genre and year, genres */
    private final InMemoryLists lists = new InMemoryLists();

    @Override
    public Future<Page<ArtistSummary>> artists(int offset, int limit) {
        return read(() -> {
            List<ArtistSummary> items = artists.stream().skip(offset).limit(limit)
                .map(m -> {
                    String[] f = SearchWords.fields(m);
                    return new ArtistSummary(f[2], f[1]);
                }).toList();
            return new Page<>(items, offset, limit, artists.size());
        });
    }

    @Override
    public Future<Optional<Artist>> artist(String artistId) {
        return read(() -> {
            TreeSet<String> albums = albumsByArtist.get(artistId);
            if (albums == null) {
                return Optional.empty();
            }
            String name = SearchWords.fields(members.get(artistId))[1];
            return Optional.of(new Artist(artistId, name, albums.stream().map(InMemoryCatalog::albumSummary).toList()));
        });
    }

    @Override
    public Future<Optional<Album>> album(String albumId) {
        return read(() -> {
            Map<String, Song> songs = songsByAlbum.get(albumId);
            if (songs == null || songs.isEmpty()) {
                return Optional.empty();
            }
            Song any = songs.values().iterator().next();
            List<Song> ordered = songs.values().stream().sorted(SONG_ORDER).toList();
            return Optional.of(new Album(albumId, any.albumName(),
                new ArtistSummary(any.artistId(), any.artistName()), ordered));
        });
    }

    @Override
    public Future<Optional<Song>> song(String songId) {
        return read(() -> Optional.ofNullable(songsById.get(songId)));
    }

    @Override
    public Future<SearchResult> search(String query, int limit) {
        List<String> words = SearchWords.words(query);
        if (words.isEmpty() || limit <= 0) {
            return Future.succeededFuture(new SearchResult(List.of(), List.of(), List.of()));
        }
        return read(() -> new SearchResult(
            walk(artistIndex, words, limit).stream().map(id -> new ArtistSummary(id, SearchWords.fields(members.get(id))[1])).toList(),
            walk(albumIndex, words, limit).stream().map(id -> albumSummary(members.get(id))).toList(),
            walk(songIndex, words, limit).stream().map(songsById::get).toList()));
    }

    /** The search walk of {@link SearchWords}: entries from the pivot word, every word must match, bounded. */
    private static List<String> walk(NavigableSet<String> index, List<String> words, int limit) {
        String pivot = SearchWords.pivot(words, w -> count(index, w));
        List<String> ids = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        int scanned = 0;
        for (String entry : index.tailSet(pivot, true)) {
            if (!entry.startsWith(pivot) || scanned >= SearchWords.SCAN_CAP || ids.size() >= limit) {
                break;
            }
            scanned++;
            String[] f = SearchWords.fields(entry);
            if (!seenIds.contains(f[2]) && SearchWords.matches(f[1], words)) {
                seenIds.add(f[2]);
                ids.add(f[2]);
            }
        }
        return ids;
    }

    /**
     * The entries starting with {@code word}, counted up to {@link SearchWords#countCap}'s cap: a TreeSet's
     * {@code subSet(..).size()} walks the whole range, so this stops past the cap to stay O(log n + SCAN_CAP).
     */
    private static long count(NavigableSet<String> index, String word) {
        long cap = SearchWords.countCap(Long.MAX_VALUE);
        long n = 0;
        for (Iterator<String> it = index.subSet(word, true, SearchWords.prefixEnd(word), true).iterator();
             it.hasNext() && n < cap; it.next()) {
            n++;
        }
        return n;
    }

    @Override
    public Future<Long> size() {
        return read(() -> (long) songsByKey.size());
    }

    @Override
    public Future<Boolean> upsert(Song song, Guard guard) {
        return write(() -> admit(song.key(), guard) && upsertLocked(song));
    }

    @Override
    public Future<Boolean> remove(String key, Guard guard) {
        return write(() -> admit(key, guard) && (removeSongLocked(key) | removeArtLocked(key)));
    }

    @Override
    public Future<Boolean> upsertArt(String key, Guard guard) {
        Optional<String> albumId = AlbumArt.albumIdOf(key);
        if (albumId.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("not album art: " + key));
        }
        return write(() -> {
            if (!admit(key, guard)) {
                return false;
            }
            allKeys.add(key);
            return art.computeIfAbsent(albumId.get(), k -> new TreeSet<>(AlbumArt.PREFERENCE)).add(key);
        });
    }

    @Override
    public Future<Optional<String>> albumArt(String albumId) {
        return read(() -> {
            TreeSet<String> keys = art.get(albumId);
            return keys == null || keys.isEmpty() ? Optional.empty() : Optional.of(keys.first());
        });
    }

    // ---- lists (InMemoryLists) ----

    @Override
    public Future<Page<AlbumInfo>> albums(AlbumQuery query, int offset, int limit) {
        return checked(() -> {
            Objects.requireNonNull(query, "query");
            CatalogLists.checkPage(offset, limit);
            return read(() -> {
                Page<String> ids = lists.albums(query, offset, limit);
                return new Page<>(ids.items().stream().map(this::infoLocked).toList(), offset, limit, ids.total());
            });
        });
    }

    @Override
    public Future<Map<String, AlbumInfo>> albumInfos(Collection<String> albumIds) {
        return read(() -> {
            Map<String, AlbumInfo> out = new HashMap<>();
            for (String id : albumIds) {
                AlbumInfo info = lists.info(id);
                if (info != null) {
                    out.put(id, infoLocked(id));
                }
            }
            return out;
        });
    }

    @Override
    public Future<Map<String, Song>> songs(Collection<String> songIds) {
        return read(() -> {
            Map<String, Song> out = new HashMap<>();
            for (String id : songIds) {
                Song s = songsById.get(id);
                if (s != null) {
                    out.put(id, s);
                }
            }
            return out;
        });
    }

    @Override
    public Future<List<Song>> randomSongs(int count, String genre, Integer fromYear, Integer toYear) {
        return checked(() -> {
            CatalogLists.checkCount(count);
            String gk = genre == null ? null : CatalogLists.queryGenre(genre);
            boolean byYear = fromYear != null || toYear != null;
            int[] years = byYear ? CatalogLists.clampYears(fromYear == null ? CatalogLists.MIN_YEAR : fromYear,
                toYear == null ? CatalogLists.MAX_YEAR : toYear) : null;
            if (count == 0 || (byYear && years == null)) {
                return Future.succeededFuture(List.of());
            }
            return read(() -> lists.randomSongs(count, gk, years).stream().map(songsById::get).toList());
        });
    }

    @Override
    public Future<Page<Song>> songsByGenre(String genre, int offset, int limit) {
        return checked(() -> {
            String gk = CatalogLists.queryGenre(genre);
            CatalogLists.checkPage(offset, limit);
            return read(() -> {
                Page<String> ids = lists.songsByGenre(gk, offset, limit);
                return new Page<>(ids.items().stream().map(songsById::get).toList(), offset, limit, ids.total());
            });
        });
    }

    @Override
    public Future<List<GenreCount>> genres() {
        return read(lists::genres);
    }

    private AlbumInfo infoLocked(String albumId) {
        AlbumInfo i = lists.info(albumId);
        TreeSet<String> cover = art.get(albumId);
        return cover == null || cover.isEmpty() ? i : new AlbumInfo(i.id(), i.name(), i.artist(), i.songCount(),
            i.durationSeconds(), i.year(), i.genre(), i.addedAt(), cover.first());
    }

    /** Argument checks that throw become a failed future (the port's callers handle failures once). */
    private static <T> Future<T> checked(java.util.function.Supplier<Future<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Long> clock() {
        return Future.succeededFuture(System.currentTimeMillis());
    }

    @Override
    public Future<Map<String, Song>> songsByKey(Collection<String> keys) {
        return read(() -> {
            Map<String, Song> out = new HashMap<>();
            for (String k : keys) {
                Song s = songsByKey.get(k);
                if (s != null) {
                    out.put(k, s);
                }
            }
            return out;
        });
    }

    @Override
    public Future<KeyPage> keys(String cursor, int count) {
        return read(() -> {
            List<String> page = new ArrayList<>(count);
            for (String k : cursor == null ? allKeys : allKeys.tailSet(cursor, false)) {
                if (page.size() >= count) {
                    break;
                }
                page.add(k);
            }
            String next = page.size() < count ? null : page.get(page.size() - 1);
            if (next != null && allKeys.higher(next) == null) {
                next = null;
            }
            return new KeyPage(page, next);
        });
    }

    @Override
    public Future<PruneStep> pruneTombstones(String cursor, int count, long before) {
        return write(() -> {
            Map<String, KeyState> from = cursor == null ? keyStates : keyStates.tailMap(cursor, false);
            long pruned = 0;
            int seen = 0;
            String last = null;
            for (var it = from.entrySet().iterator(); it.hasNext() && seen < count; seen++) {
                Map.Entry<String, KeyState> e = it.next();
                last = e.getKey();
                if (!allKeys.contains(e.getKey()) && e.getValue().at() < before) {
                    it.remove();
                    pruned++;
                }
            }
            String next = last == null || keyStates.higherKey(last) == null ? null : last;
            return new PruneStep(pruned, next);
        });
    }

    /** Checks the guard of a write of {@code key} and records an event's sequencer. Under the write lock. */
    private boolean admit(String key, Guard guard) {
        KeyState state = keyStates.get(key);
        if (state != null && !Sequencers.isWellFormed(state.sequencer())) {
            // a forged event's sequencer, applied before events were checked: absent, the next event replaces it
            state = null;
        }
        if (guard.sequencer() != null) {
            if (state != null && !Sequencers.isNewer(guard.sequencer(), state.sequencer())) {
                return false; // a duplicate, or older than what was applied (a tombstone included)
            }
            keyStates.put(key, new KeyState(guard.sequencer(), System.currentTimeMillis()));
            return true;
        }
        if (guard.since() != null) {
            return state == null || state.at() < guard.since();
        }
        return true;
    }

    private boolean upsertLocked(Song given) {
        Song old = songsByKey.get(given.key());
        // addedAt: the first time the key was indexed, kept while the key is held
        Song song = given.withAddedAt(old != null && old.addedAt() != null ? old.addedAt()
            : given.addedAt() != null ? given.addedAt() : Instant.ofEpochMilli(System.currentTimeMillis()));
        if (song.equals(old)) {
            return false;
        }
        if (old != null) {
            songIndex.removeAll(SearchWords.entries(old.title(), old.id()));
            lists.remove(old);
        } else {
            String artistId = song.artistId();
            if (!members.containsKey(artistId)) {
                String m = SearchWords.listingMember(song.artistName(), artistId);
                members.put(artistId, m);
                artists.add(m);
                artistIndex.addAll(SearchWords.entries(song.artistName(), artistId));
            }
            if (!members.containsKey(song.albumId())) {
                String m = SearchWords.listingMember(song.albumName(), song.albumId());
                members.put(song.albumId(), m);
                albumsByArtist.computeIfAbsent(artistId, k -> new TreeSet<>(SearchWords.BYTE_ORDER)).add(m);
                albumIndex.addAll(SearchWords.entries(song.albumName(), song.albumId()));
            }
        }
        songsByKey.put(song.key(), song);
        songsById.put(song.id(), song);
        songsByAlbum.computeIfAbsent(song.albumId(), k -> new HashMap<>()).put(song.key(), song);
        songIndex.addAll(SearchWords.entries(song.title(), song.id()));
        allKeys.add(song.key());
        lists.add(song);
        return true;
    }

    private boolean removeSongLocked(String key) {
        Song old = songsByKey.remove(key);
        if (old == null) {
            return false;
        }
        allKeys.remove(key);
        songsById.remove(old.id());
        songIndex.removeAll(SearchWords.entries(old.title(), old.id()));
        lists.remove(old);
        Map<String, Song> albumSongs = songsByAlbum.get(old.albumId());
        albumSongs.remove(key);
        if (albumSongs.isEmpty()) {
            songsByAlbum.remove(old.albumId());
            TreeSet<String> albums = albumsByArtist.get(old.artistId());
            albums.remove(members.remove(old.albumId()));
            albumIndex.removeAll(SearchWords.entries(old.albumName(), old.albumId()));
            if (albums.isEmpty()) {
                albumsByArtist.remove(old.artistId());
                artists.remove(members.remove(old.artistId()));
                artistIndex.removeAll(SearchWords.entries(old.artistName(), old.artistId()));
            }
        }
        return true;
    }

    private boolean removeArtLocked(String key) {
        Optional<String> albumId = AlbumArt.albumIdOf(key);
        if (albumId.isEmpty()) {
            return false;
        }
        TreeSet<String> keys = art.get(albumId.get());
        if (keys == null || !keys.remove(key)) {
            return false;
        }
        allKeys.remove(key);
        if (keys.isEmpty()) {
            art.remove(albumId.get());
        }
        return true;
    }

    private static AlbumSummary albumSummary(String member) {
        String[] f = SearchWords.fields(member);
        return new AlbumSummary(f[2], f[1]);
    }

    private <T> Future<T> read(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            return Future.succeededFuture(body.get());
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> Future<T> write(java.util.function.Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return Future.succeededFuture(body.get());
        } finally {
            lock.writeLock().unlock();
        }
    }
}
