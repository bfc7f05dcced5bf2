package dev.s3music.model.event;

import io.vertx.core.json.JsonObject;

/** Fact published on {@link dev.s3music.model.Addresses#SONG_REMOVED}: a song left the catalog. */
public record SongRemoved(String songId, String key) {

    public JsonObject toJson() {
        return new JsonObject().put("songId", songId).put("key", key);
    }

    public static SongRemoved fromJson(JsonObject j) {
        return new SongRemoved(j.getString("songId"), j.getString("key"));
    }
}
