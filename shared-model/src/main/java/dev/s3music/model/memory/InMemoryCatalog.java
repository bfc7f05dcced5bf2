package dev.s3music.model.memory;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumSummary;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Names;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The catalog in memory: the embedded default ({@code USE_REDIS=false}) and unit tests. Thread-safe, so API and
 * indexer verticles on different event loops can share one instance. Every call completes at once.
 */
public final class InMemoryCatalog implements Catalog {

    static final Comparator<ArtistSummary> ARTIST_ORDER = Comparator
        .comparing((ArtistSummary a) -> Names.sortKey(a.name())).thenComparing(ArtistSummary::name)
        .thenComparing(ArtistSummary::id);
    static final Comparator<AlbumSummary> ALBUM_ORDER = Comparator
        .comparing((AlbumSummary a) -> Names.sortKey(a.name())).thenComparing(AlbumSummary::name)
        .thenComparing(AlbumSummary::id);
    /** Play order inside an album: disc, sub-folder, track, title, key. Missing numbers sort last. */
    public static final Comparator<Song> SONG_ORDER = Comparator
        .comparing(Song::disc, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Song::subFolder, Comparator.nullsFirst(Comparator.comparing(Names::sortKey)))
        .thenComparing(Song::track, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing((Song s) -> Names.sortKey(s.title()))
        .thenComparing(Song::key);

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Song> songsByKey = new HashMap<>();
    private final Map<String, Song> songsById = new HashMap<>();
    private final TreeSet<ArtistSummary> artists = new TreeSet<>(ARTIST_ORDER);
    private final Map<String, ArtistSummary> artistsById = new HashMap<>();
    /** artist id -> album id -> album */
    private final Map<String, TreeMap<String, AlbumSummary>> albumsByArtist = new HashMap<>();
    /** album id -> song key -> song */
    private final Map<String, Map<String, Song>> songsByAlbum = new HashMap<>();

    @Override
    public Future<Page<ArtistSummary>> artists(int offset, int limit) {
        lock.readLock().lock();
        try {
            List<ArtistSummary> items = artists.stream().skip(offset).limit(limit).toList();
            return Future.succeededFuture(new Page<>(items, offset, limit, artists.size()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<Optional<Artist>> artist(String artistId) {
        lock.readLock().lock();
        try {
            ArtistSummary a = artistsById.get(artistId);
            if (a == null) {
                return Future.succeededFuture(Optional.empty());
            }
            List<AlbumSummary> albums = albumsByArtist.getOrDefault(artistId, new TreeMap<>()).values().stream()
                .sorted(ALBUM_ORDER).toList();
            return Future.succeededFuture(Optional.of(new Artist(a.id(), a.name(), albums)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<Optional<Album>> album(String albumId) {
        lock.readLock().lock();
        try {
            Map<String, Song> songs = songsByAlbum.get(albumId);
            if (songs == null || songs.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
            }
            Song any = songs.values().iterator().next();
            List<Song> ordered = songs.values().stream().sorted(SONG_ORDER).toList();
            return Future.succeededFuture(Optional.of(new Album(albumId, any.albumName(),
                new ArtistSummary(any.artistId(), any.artistName()), ordered)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<Optional<Song>> song(String songId) {
        lock.readLock().lock();
        try {
            return Future.succeededFuture(Optional.ofNullable(songsById.get(songId)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<SearchResult> search(String query, int limit) {
        List<String> words = words(query);
        lock.readLock().lock();
        try {
            if (words.isEmpty()) {
                return Future.succeededFuture(new SearchResult(List.of(), List.of(), List.of()));
            }
            List<ArtistSummary> as = artists.stream().filter(a -> matches(a.name(), words)).limit(limit).toList();
            List<AlbumSummary> albums = new ArrayList<>();
            for (TreeMap<String, AlbumSummary> m : albumsByArtist.values()) {
                m.values().stream().filter(a -> matches(a.name(), words)).forEach(albums::add);
            }
            albums.sort(ALBUM_ORDER);
            List<Song> songs = songsById.values().stream().filter(s -> matches(s.title(), words))
                .sorted(Comparator.comparing((Song s) -> Names.sortKey(s.title())).thenComparing(Song::key))
                .limit(limit).toList();
            return Future.succeededFuture(new SearchResult(as, albums.subList(0, Math.min(limit, albums.size())), songs));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<Long> size() {
        lock.readLock().lock();
        try {
            return Future.succeededFuture((long) songsByKey.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Future<Boolean> upsert(Song song) {
        lock.writeLock().lock();
        try {
            Song old = songsByKey.get(song.key());
            if (song.equals(old)) {
                return Future.succeededFuture(false);
            }
            if (old != null) {
                removeLocked(old.key());
            }
            songsByKey.put(song.key(), song);
            songsById.put(song.id(), song);
            ArtistSummary artist = new ArtistSummary(song.artistId(), song.artistName());
            if (artistsById.putIfAbsent(artist.id(), artist) == null) {
                artists.add(artist);
            }
            albumsByArtist.computeIfAbsent(artist.id(), k -> new TreeMap<>())
                .putIfAbsent(song.albumId(), new AlbumSummary(song.albumId(), song.albumName()));
            songsByAlbum.computeIfAbsent(song.albumId(), k -> new HashMap<>()).put(song.key(), song);
            return Future.succeededFuture(true);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Future<Boolean> remove(String key) {
        lock.writeLock().lock();
        try {
            return Future.succeededFuture(removeLocked(key));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean removeLocked(String key) {
        Song old = songsByKey.remove(key);
        if (old == null) {
            return false;
        }
        songsById.remove(old.id());
        Map<String, Song> albumSongs = songsByAlbum.get(old.albumId());
        albumSongs.remove(key);
        if (albumSongs.isEmpty()) {
            songsByAlbum.remove(old.albumId());
            TreeMap<String, AlbumSummary> albums = albumsByArtist.get(old.artistId());
            albums.remove(old.albumId());
            if (albums.isEmpty()) {
                albumsByArtist.remove(old.artistId());
                ArtistSummary a = artistsById.remove(old.artistId());
                artists.remove(a);
            }
        }
        return true;
    }

    private static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : Names.sortKey(text).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Every query word is a prefix of some word of the name. */
    private static boolean matches(String name, List<String> queryWords) {
        List<String> nameWords = words(name);
        for (String q : queryWords) {
            boolean found = false;
            for (String w : nameWords) {
                if (w.startsWith(q)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
