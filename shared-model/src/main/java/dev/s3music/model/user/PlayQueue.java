package dev.s3music.model.user;

import java.time.Instant;
import java.util.List;

/**
 * A user's play queue, so another device resumes where the last one stopped.
 *
 * @param songIds    song ids in play order (repeats allowed)
 * @param current    index of the current song in {@code songIds}, or -1 when the queue is empty
 * @param positionMs position in the current song, in milliseconds
 * @param changedAt  when it was last saved (server clock)
 * @param changedBy  the client that saved it ("web", a Subsonic {@code c}), or null
 */
public record PlayQueue(List<String> songIds, int current, long positionMs, Instant changedAt, String changedBy) {
    public PlayQueue {
        songIds = List.copyOf(songIds);
    }

    public static PlayQueue empty() {
        return new PlayQueue(List.of(), -1, 0, null, null);
    }
}
