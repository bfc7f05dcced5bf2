package dev.s3music.api;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumSummary;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.AudioFormat;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Metadata;
import dev.s3music.model.Page;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.SongTags;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * The JSON shapes of the catalog API, written out field by field: they are a public contract
 * ({@code openapi.yaml}), so they must not change when a record gains a field.
 */
public final class CatalogJson {

    private CatalogJson() {
    }

    static <T> JsonObject page(Page<T> page, Function<T, JsonObject> item) {
        return new JsonObject()
            .put("items", array(page.items(), item))
            .put("offset", page.offset())
            .put("limit", page.limit())
            .put("total", page.total());
    }

    static JsonObject ref(String id, String name) {
        return new JsonObject().put("id", id).put("name", name);
    }

    static JsonObject artistRef(ArtistSummary a) {
        return ref(a.id(), a.name());
    }

    static JsonObject albumRef(AlbumSummary a) {
        return ref(a.id(), a.name());
    }

    static JsonObject artist(Artist a, Metadata m) {
        return withMetadata(new JsonObject()
            .put("id", a.id())
            .put("name", a.name())
            .put("albums", array(a.albums(), CatalogJson::albumRef)), m);
    }

    static JsonObject album(Album a, Metadata m) {
        return withMetadata(new JsonObject()
            .put("id", a.id())
            .put("name", a.name())
            .put("artist", artistRef(a.artist()))
            .put("songs", array(a.songs(), CatalogJson::albumSong)), m);
    }

    static JsonObject albumSong(Song s) {
        return new JsonObject()
            .put("id", s.id())
            .put("title", s.title())
            .put("track", s.track())
            .put("disc", s.disc())
            .put("format", s.format())
            .put("size", s.size());
    }

    static JsonObject songSummary(Song s) {
        JsonObject json = new JsonObject()
            .put("id", s.id())
            .put("title", s.title())
            .put("track", s.track())
            .put("format", s.format())
            .put("size", s.size())
            .put("album", ref(s.albumId(), s.albumName()))
            .put("artist", ref(s.artistId(), s.artistName()));
        if (s.tags() != null) {
            putIfNotNull(json, "year", s.tags().year());
            putIfNotNull(json, "genre", s.tags().genre());
            putIfNotNull(json, "durationSeconds", s.tags().durationSeconds());
        }
        return json;
    }

    static JsonObject songs(List<Song> songs) {
        return new JsonObject().put("songs", array(songs, CatalogJson::songSummary));
    }

    static JsonObject albumInfo(AlbumInfo a) {
        return new JsonObject()
            .put("id", a.id())
            .put("name", a.name())
            .put("artist", artistRef(a.artist()))
            .put("songCount", a.songCount())
            .put("durationSeconds", a.durationSeconds())
            .put("year", a.year())
            .put("genre", a.genre())
            .put("addedAt", a.addedAt().toString())
            // the cover route finds a folder image, an embedded picture or Discogs' image, else answers 404
            .put("coverUrl", "/api/albums/" + a.id() + "/cover");
    }

    static JsonObject genres(List<GenreCount> genres) {
        return new JsonObject().put("genres", array(genres, g -> new JsonObject()
            .put("name", g.name()).put("songCount", g.songCount()).put("albumCount", g.albumCount())));
    }

    static JsonObject song(Song s, Metadata m) {
        return withMetadata(listedSong(s), m);
    }

    /** A song as {@link #song} shows it, without the metadata fields: songs listed by other areas (playlists). */
    public static JsonObject listedSong(Song s) {
        JsonObject json = new JsonObject()
            .put("id", s.id())
            .put("key", s.key())
            .put("title", s.title())
            .put("track", s.track())
            .put("disc", s.disc())
            .put("subFolder", s.subFolder())
            .put("format", s.format())
            .put("contentType", AudioFormat.contentType(s.format()).orElse("application/octet-stream"))
            .put("size", s.size())
            .put("lastModified", s.lastModified().toString())
            .put("addedAt", s.addedAt() != null ? s.addedAt().toString() : null)
            .put("album", ref(s.albumId(), s.albumName()))
            .put("artist", ref(s.artistId(), s.artistName()))
            .put("stream", "/api/songs/" + s.id() + "/stream");
        if (s.tags() != null) {
            json.put("tags", tags(s.tags()));
        }
        return json;
    }

    static JsonObject tags(SongTags t) {
        JsonObject json = new JsonObject();
        putIfNotNull(json, "title", t.title());
        putIfNotNull(json, "artist", t.artist());
        putIfNotNull(json, "album", t.album());
        putIfNotNull(json, "track", t.track());
        putIfNotNull(json, "disc", t.disc());
        putIfNotNull(json, "year", t.year());
        putIfNotNull(json, "genre", t.genre());
        putIfNotNull(json, "durationSeconds", t.durationSeconds());
        putIfNotNull(json, "embeddedCover", t.embeddedCover());
        return json;
    }

    static JsonObject search(SearchResult r) {
        return new JsonObject()
            .put("artists", array(r.artists(), CatalogJson::artistRef))
            .put("albums", array(r.albums(), CatalogJson::albumRef))
            .put("songs", array(r.songs(), CatalogJson::songSummary));
    }

    private static JsonObject withMetadata(JsonObject json, Metadata m) {
        return json.put("metadata", m.status() == Metadata.Status.READY ? m.data() : null)
            .put("metadataStatus", m.status().wire());
    }

    private static void putIfNotNull(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static <T> JsonArray array(List<T> items, Function<T, JsonObject> f) {
        JsonArray a = new JsonArray();
        for (T t : items) {
            a.add(f.apply(t));
        }
        return a;
    }
}
