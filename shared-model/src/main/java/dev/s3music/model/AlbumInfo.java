package dev.s3music.model;

import java.time.Instant;

/**
 * An album as the lists show it (album lists, Subsonic {@code getAlbumList2}): what the catalog knows of it without
 * its songs.
 *
 * @param id              album id ({@link Ids#album})
 * @param name            album folder name, or "Unknown album"
 * @param artist          its artist folder
 * @param songCount       number of songs
 * @param durationSeconds sum of the songs' durations that are known (0 when none is)
 * @param year            the year most of its songs' tags give, or null
 * @param genre           the genre most of its songs' tags give, or null
 * @param addedAt         when its newest song was first indexed ({@link Song#addedAt}), never null
 * @param coverKey        the preferred art file key ({@link AlbumArt#PREFERENCE}), or null
 */
public record AlbumInfo(String id, String name, ArtistSummary artist, int songCount, long durationSeconds,
                        Integer year, String genre, Instant addedAt, String coverKey) {
}
