package dev.s3music.model;

/**
 * Which albums a list holds and in which order; every list is paged ({@code offset}, {@code limit}) and stable
 * (ties broken by album id), so paging through never repeats or skips an album.
 *
 * @param order    the order
 * @param genre    only albums whose {@link AlbumInfo#genre} equals this (case- and accent-insensitive), or null
 * @param fromYear with {@code toYear}: only albums with a year in the range, both ends included; when
 *                 {@code fromYear > toYear} the range is the same but the order is newest first (as Subsonic's
 *                 {@code byYear}). Null for no year filter (both null, or both set).
 * @param toYear   see {@code fromYear}
 */
public record AlbumQuery(Order order, String genre, Integer fromYear, Integer toYear) {

    public enum Order {
        /** by album name (sort key: case- and accent-insensitive), then artist */
        NAME,
        /** by artist name, then album name */
        ARTIST,
        /** newest {@link AlbumInfo#addedAt} first */
        ADDED,
        /** by year (ascending, or descending when fromYear > toYear); albums without a year are left out */
        YEAR,
        /** a random order, different on each call (paging through a random list is not stable) */
        RANDOM
    }

    public AlbumQuery {
        if (order == null) {
            throw new IllegalArgumentException("order is required");
        }
        if ((fromYear == null) != (toYear == null)) {
            throw new IllegalArgumentException("fromYear and toYear go together");
        }
    }

    public static AlbumQuery of(Order order) {
        return new AlbumQuery(order, null, null, null);
    }
}
