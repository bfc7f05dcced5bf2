package dev.s3music.model.user;

import dev.s3music.model.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each listener's own data: favourites, ratings, plays, play queue and playlists. One store read and written by the
 * web player ({@code /api/me}, {@code /api/playlists}) and the Subsonic API alike. Durable in S3 (documents under
 * {@code .s3music/users/}, conditional writes, merge on conflict), served through a cache.
 *
 * <p>{@code username} is always the signed-in user: the caller (the route) has authenticated it. Visibility rules
 * are here: a playlist that is private to another user is absent ({@link Optional#empty()} or NOT_FOUND), never
 * FORBIDDEN, so its id is not confirmed. Item ids are not checked against the catalog (a song that has left the
 * bucket stays starred and listed). Bad input (rating out of 1..5, empty playlist name, index out of range) fails
 * with {@code DomainException} INVALID and changes nothing.
 */
public interface UserDataService {

    /** The user's annotations now (favourites, ratings, play counts including buffered plays). */
    Future<UserLibrary> library(String username);

    /** Stars the items (idempotent: starring again keeps the first time). */
    Future<Void> star(String username, ItemKind kind, List<String> ids);

    /** Unstars the items (idempotent). */
    Future<Void> unstar(String username, ItemKind kind, List<String> ids);

    /** Sets a rating 1..5, or clears it with 0. */
    Future<Void> rate(String username, ItemKind kind, String id, int rating);

    /**
     * Records that the user played a song at {@code at}. Buffered: counted at once in {@link #library} and the play
     * lists, written to S3 at most once a minute per user.
     */
    Future<Void> played(String username, String songId, Instant at);

    /**
     * Play count and last play of these songs (buffered plays included); songs never played are left out. For
     * decorating one page of songs without the whole library.
     */
    default Future<Map<String, PlayStat>> plays(String username, Collection<String> songIds) {
        return library(username).map(lib -> {
            Map<String, PlayStat> out = new HashMap<>();
            for (String id : songIds) {
                PlayStat p = lib.plays(id);
                if (p != null) {
                    out.put(id, p);
                }
            }
            return out;
        });
    }

    /** Song ids by play count, most played first (ties: last played first). */
    Future<Page<String>> mostPlayed(String username, int offset, int limit);

    /** Song ids by last played, most recent first. */
    Future<Page<String>> recentlyPlayed(String username, int offset, int limit);

    Future<PlayQueue> queue(String username);

    /** Saves the queue (last writer wins, as Subsonic's savePlayQueue); {@code changedAt} is set here. */
    Future<PlayQueue> saveQueue(String username, PlayQueue queue);

    /** The user's own playlists and every public one of others, by name. */
    Future<List<Playlist>> playlists(String username);

    /** The playlist when it is the user's own or public, else empty. */
    Future<Optional<Playlist>> playlist(String username, String id);

    Future<Playlist> createPlaylist(String username, String name, String comment, boolean isPublic,
                                    List<String> songIds);

    /**
     * Applies the change (owner only: others get NOT_FOUND), merging with concurrent changes; the new playlist.
     * A stale {@link PlaylistChange#expectedVersion}: PRECONDITION_FAILED, nothing changes.
     */
    Future<Playlist> updatePlaylist(String username, String id, PlaylistChange change);

    /** Deletes it (owner only: others get NOT_FOUND). */
    Future<Void> deletePlaylist(String username, String id);

    /** Everything kept for the user, as one JSON document (admin export). */
    Future<JsonObject> export(String username);

    /** Writes every buffered play now (graceful stop, tests). */
    Future<Void> flush();
}
