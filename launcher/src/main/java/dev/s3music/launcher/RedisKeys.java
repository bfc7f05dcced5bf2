package dev.s3music.launcher;

/** The key prefixes of the one Redis a cluster shares, one per adapter (each module's README describes its keys). */
final class RedisKeys {

    /** The catalog ({@code RedisCatalog}, indexer README). */
    static final String CATALOG = "s3music:cat:";
    /** The metadata cache and the lookup queue (metadata-worker README). */
    static final String METADATA = "s3music:metadata:";
    /** The cluster-wide Discogs rate limiter (metadata-worker README). */
    static final String DISCOGS = "s3music:discogs:";
    /** The reconcile lease and its shared status ({@code RedisReconcileLease}, indexer README). */
    static final String RECONCILE = "s3music:reconcile:";

    /** Sessions, stored by the hash of their token (accounts README). */
    static final String SESSIONS = "s3music:auth:";
    /** Failed sign-ins per username and per client address (accounts README). */
    static final String THROTTLE = "s3music:throttle:";
    /** The cache of the per-user documents (user-data README; the documents themselves are in S3). */
    static final String USER_DATA = "s3music:user:";

    private RedisKeys() {
    }
}
