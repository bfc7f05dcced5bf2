package dev.s3music.metadata.model;

/**
 * A search hit or a discography entry, as the provider lists it, before any matching.
 *
 * @param id       the provider's id of the entity
 * @param type     artist, master or release
 * @param title    the title as listed: an artist name, or "Artist - Album" for search hits of albums
 * @param artist   for albums, the credited artist when the listing gives it apart from the title, else null
 * @param masterId the master of a release, when known
 * @param year     the year when known (null for 0 or unknown)
 */
public record Candidate(long id, Type type, String title, String artist, Long masterId, Integer year) {

    public enum Type { ARTIST, MASTER, RELEASE }
}
