package dev.s3music.indexer.sqs;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.port.Catalog;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A catalog that passes every call to another, with a hook in front of the ordered writes (fault injection). */
class DelegatingCatalog implements Catalog {

    private final Catalog inner;
    private final Function<String, Future<Void>> beforeWrite;

    DelegatingCatalog(Catalog inner, Function<String, Future<Void>> beforeWrite) {
        this.inner = inner;
        this.beforeWrite = beforeWrite;
    }

    @Override public Future<Page<ArtistSummary>> artists(int offset, int limit) { return inner.artists(offset, limit); }
    @Override public Future<Optional<Artist>> artist(String id) { return inner.artist(id); }
    @Override public Future<Optional<Album>> album(String id) { return inner.album(id); }
    @Override public Future<Optional<Song>> song(String id) { return inner.song(id); }
    @Override public Future<SearchResult> search(String q, int limit) { return inner.search(q, limit); }
    @Override public Future<Long> size() { return inner.size(); }
    @Override public Future<Boolean> upsert(Song song) { return inner.upsert(song); }
    @Override public Future<Boolean> remove(String key) { return inner.remove(key); }
    @Override public Future<Boolean> upsert(Song song, Guard g) { return beforeWrite.apply(song.key()).compose(v -> inner.upsert(song, g)); }
    @Override public Future<Boolean> remove(String key, Guard g) { return beforeWrite.apply(key).compose(v -> inner.remove(key, g)); }
    @Override public Future<Boolean> upsertArt(String key, Guard g) { return beforeWrite.apply(key).compose(v -> inner.upsertArt(key, g)); }
    @Override public Future<Optional<String>> albumArt(String albumId) { return inner.albumArt(albumId); }
    @Override public Future<Long> clock() { return inner.clock(); }
    @Override public Future<Map<String, Song>> songsByKey(Collection<String> keys) { return inner.songsByKey(keys); }
    @Override public Future<KeyPage> keys(String cursor, int count) { return inner.keys(cursor, count); }
    @Override public Future<Page<AlbumInfo>> albums(AlbumQuery q, int offset, int limit) { return inner.albums(q, offset, limit); }
    @Override public Future<Map<String, AlbumInfo>> albumInfos(Collection<String> ids) { return inner.albumInfos(ids); }
    @Override public Future<Map<String, Song>> songs(Collection<String> ids) { return inner.songs(ids); }
    @Override public Future<List<Song>> randomSongs(int count, String genre, Integer from, Integer to) { return inner.randomSongs(count, genre, from, to); }
    @Override public Future<Page<Song>> songsByGenre(String genre, int offset, int limit) { return inner.songsByGenre(genre, offset, limit); }
    @Override public Future<List<GenreCount>> genres() { return inner.genres(); }
    @Override public Future<PruneStep> pruneTombstones(String cursor, int count, long before) { return inner.pruneTombstones(cursor, count, before); }
}
