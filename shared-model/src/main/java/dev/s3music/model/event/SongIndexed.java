package dev.s3music.model.event;

import dev.s3music.model.MetadataRef;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/** Fact published on {@link dev.s3music.model.Addresses#SONG_INDEXED}: a song was added or changed. */
public record SongIndexed(String songId, String key, String artistId, String artistName, String albumId,
                          String albumName, String title) {

    public static SongIndexed of(Song s) {
        return new SongIndexed(s.id(), s.key(), s.artistId(), s.artistName(), s.albumId(), s.albumName(), s.title());
    }

    /**
     * Why a consumer must drop this fact, or empty when it is well formed. A fact is published by the indexer for a
     * song it parsed, so everything in it follows from the key: the key parses as a song ({@link SongKey}) and the
     * ids and folder names are the ones derived from it; the title is present and bounded. Anything else was forged
     * or garbled on the way, and acting on it would queue lookups for entities that do not exist.
     */
    public Optional<String> problem() {
        Optional<SongKey> parsed = SongKey.parse(key);
        if (parsed.isEmpty()) {
            return Optional.of("key is not a song key");
        }
        SongKey k = parsed.get();
        if (!k.songId().equals(songId) || !k.artistId().equals(artistId) || !k.albumId().equals(albumId)
            || !k.artistName().equals(artistName) || !k.albumName().equals(albumName)) {
            return Optional.of("ids or names do not match the key");
        }
        if (title == null || title.isBlank() || title.length() > MetadataRef.MAX_NAME_LENGTH) {
            return Optional.of("title is missing or longer than " + MetadataRef.MAX_NAME_LENGTH + " characters");
        }
        return Optional.empty();
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
