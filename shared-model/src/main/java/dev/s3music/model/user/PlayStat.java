package dev.s3music.model.user;

import java.time.Instant;

/** How often and when a user last played one song. */
public record PlayStat(long count, Instant lastPlayed) {
}
