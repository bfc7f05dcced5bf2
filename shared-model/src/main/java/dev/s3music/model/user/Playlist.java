package dev.s3music.model.user;

import java.time.Instant;
import java.util.List;

/**
 * A playlist: an ordered list of song ids (repeats allowed) owned by one user. Songs whose key has left the bucket
 * stay in it (the catalog no longer resolves them: shown as missing, skipped when played) and are back when the
 * key returns.
 *
 * @param id      opaque, URL-safe, unique across users
 * @param owner   the owner's username
 * @param version changes with every write (for If-Match), opaque
 */
public record Playlist(String id, String owner, String name, String comment, boolean isPublic, List<String> songIds,
                       Instant created, Instant changed, String version) {
    public Playlist {
        songIds = List.copyOf(songIds);
    }
}
