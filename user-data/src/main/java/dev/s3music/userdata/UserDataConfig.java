package dev.s3music.userdata;

import java.time.Duration;

/**
 * @param flushEvery    a user's buffered plays are written at most this often ({@code PLAYS_FLUSH_EVERY}, 1 minute):
 *                      S3 bills every PUT, and a listener plays a song every few minutes, a class of them many
 * @param writeAttempts conditional writes of one change before it fails (503): racing writers of one document
 *                      each win in turn, so a handful is plenty
 * @param maxSongs      songs in one playlist or queue at most (a document stays far below DocumentStore.MAX_BYTES)
 */
public record UserDataConfig(Duration flushEvery, int writeAttempts, int maxSongs) {

    public static final Duration DEFAULT_FLUSH_EVERY = Duration.ofMinutes(1);

    public UserDataConfig {
        if (flushEvery.isNegative() || flushEvery.isZero()) {
            throw new IllegalArgumentException("flushEvery must be positive");
        }
        if (writeAttempts < 1 || maxSongs < 1) {
            throw new IllegalArgumentException("writeAttempts and maxSongs must be positive");
        }
    }

    public static UserDataConfig defaults() {
        return new UserDataConfig(DEFAULT_FLUSH_EVERY, 10, 5000);
    }

    public UserDataConfig withFlushEvery(Duration every) {
        return new UserDataConfig(every, writeAttempts, maxSongs);
    }
}
