package dev.s3music.model.event;

import dev.s3music.model.Song;
import io.vertx.core.json.JsonObject;

/** Fact published on {@link dev.s3music.model.Addresses#SONG_INDEXED}: a song was added or changed. */
public record SongIndexed(String songId, String key, String artistId, String artistName, String albumId,
                          String albumName, String title) {

    public static SongIndexed of(Song s) {
        return new SongIndexed(s.id(), s.key(), s.artistId(), s.artistName(), s.albumId(), s.albumName(), s.title());
    }

    public JsonObject toJson() {
        return new JsonObject().put("songId", songId).put("key", key).put("artistId", artistId)
            .put("artistName", artistName).put("albumId", albumId).put("albumName", albumName).put("title", title);
    }

    public static SongIndexed fromJson(JsonObject j) {
        return new SongIndexed(j.getString("songId"), j.getString("key"), j.getString("artistId"),
            j.getString("artistName"), j.getString("albumId"), j.getString("albumName"), j.getString("title"));
    }
}
