package dev.s3music.redis.catalog;

import dev.s3music.model.Song;
import dev.s3music.model.SongTags;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The stored form of a song in Redis: compact JSON, exact round trip (the Lua scripts compare it as text).
 * {@code addedAt} is always the last field: upsert.lua keeps the stored one by replacing that tail.
 */
public final class SongJson {

    private SongJson() {
    }

    public static String encode(Song s) {
        JsonObject j = new JsonObject().put("id", s.id()).put("key", s.key()).put("artistId", s.artistId())
            .put("artistName", s.artistName()).put("albumId", s.albumId()).put("albumName", s.albumName())
            .put("title", s.title()).put("track", s.track()).put("disc", s.disc()).put("subFolder", s.subFolder())
            .put("format", s.format()).put("size", s.size()).put("etag", s.etag())
            .put("lastModified", s.lastModified().toString());
        SongTags t = s.tags();
        if (t != null) {
            j.put("tags", new JsonObject().put("title", t.title()).put("artist", t.artist()).put("album", t.album())
                .put("track", t.track()).put("disc", t.disc()).put("year", t.year()).put("genre", t.genre())
                .put("durationSeconds", t.durationSeconds()).put("embeddedCover", t.embeddedCover()));
        }
        // last, see the class comment; a song not taken by a catalog yet gets the writer's now
        j.put("addedAt", (s.addedAt() != null ? s.addedAt() : Instant.ofEpochMilli(System.currentTimeMillis())).toString());
        return j.encode();
    }

    public static Song decode(String json) {
        JsonObject j = new JsonObject(json);
        JsonObject t = j.getJsonObject("tags");
        SongTags tags = t == null ? null : new SongTags(t.getString("title"), t.getString("artist"),
            t.getString("album"), t.getInteger("track"), t.getInteger("disc"), t.getInteger("year"),
            t.getString("genre"), t.getInteger("durationSeconds"), t.getBoolean("embeddedCover"));
        return new Song(j.getString("id"), j.getString("key"), j.getString("artistId"), j.getString("artistName"),
            j.getString("albumId"), j.getString("albumName"), j.getString("title"), j.getInteger("track"),
            j.getInteger("disc"), j.getString("subFolder"), j.getString("format"), j.getLong("size"),
            j.getString("etag"), Instant.parse(j.getString("lastModified")), tags,
            j.getString("addedAt") == null ? null : Instant.parse(j.getString("addedAt")));
    }
}
