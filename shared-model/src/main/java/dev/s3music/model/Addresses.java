package dev.s3music.model;

/**
 * Event-bus addresses. Facts are published; questions are requests with a timeout.
 */
public final class Addresses {

    /** Fact, published: a song was added or changed in the catalog. Body: {@code SongIndexed}. */
    public static final String SONG_INDEXED = "catalog.song.indexed";
    /** Fact, published: a song left the catalog. Body: {@code SongRemoved}. */
    public static final String SONG_REMOVED = "catalog.song.removed";
    /** Question, request with timeout: look up Discogs metadata with user-facing priority. */
    public static final String METADATA_LOOKUP = "metadata.lookup";

    private Addresses() {
    }
}
