package dev.s3music.model;

/**
 * What a file's own tags say. Folder names stay the identity (artist, album); tags enrich.
 * Every field may be null.
 */
public record SongTags(String title, String artist, String album, Integer track, Integer disc, Integer year,
                       String genre, Integer durationSeconds, Boolean embeddedCover) {
}
