package dev.s3music.model;

/**
 * Event-bus addresses. Facts are published; questions are requests with a timeout.
 */
public final class Addresses {

    /** Fact, published: a song was added or changed in the catalog. */
    public static final String SONG_INDEXED = "catalog.song.indexed";
    /** Fact, published: a song left the catalog. */
    public static final String SONG_REMOVED = "catalog.song.removed";
    /** Question, request with timeout: look up Discogs metadata with user-facing priority. */
    public static final String METADATA_LOOKUP = "metadata.lookup";
    /** Fact, published: sessions were revoked; every API instance drops them from its cache ({@code SessionsRevoked}). */
    public static final String SESSIONS_REVOKED = "auth.sessions.revoked";
    /** Command, request with timeout: start a full-bucket reconcile; replies with the rescan status. */
    public static final String RESCAN_START = "indexer.rescan.start";
    /** Question, request with timeout: progress of the current or last reconcile. */
    public static final String RESCAN_STATUS = "indexer.rescan.status";

    private Addresses() {
    }
}
