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
    /**
     * Failure code of {@link #RESCAN_START} and {@link #RESCAN_STATUS}: the body is not what they take (null or an
     * empty JSON object; a start may also carry {@code {"reason": "<short text>"}}); the indexer refuses rather than
     * guess.
     */
    public static final int RESCAN_FAILURE_INVALID = 400;
    /**
     * Command, request with timeout: move the messages of the dead-letter queue back to the notification queue
     * (bounded batches); replies {@code {moved, remaining}}. Fails 503 when the indexer has no DLQ configured.
     */
    public static final String DLQ_REDRIVE = "indexer.dlq.redrive";
    /** Question, request with timeout: the dead-letter queue's approximate depth; replies {@code {messages}}. */
    public static final String DLQ_STATUS = "indexer.dlq.status";

    private Addresses() {
    }
}
