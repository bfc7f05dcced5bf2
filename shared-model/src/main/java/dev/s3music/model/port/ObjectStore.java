package dev.s3music.model.port;

import dev.s3music.model.ByteRange;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The bucket that holds the library. Failures are {@link dev.s3music.model.DomainException}s: NOT_FOUND for a
 * missing key, PRECONDITION_FAILED when {@code ifMatch} no longer matches, TRANSIENT when the store is down.
 */
public interface ObjectStore {

    String bucket();

    Future<ObjectInfo> head(String key);

    /**
     * Opens the object, or one range of it, as a stream. The body is not read until the caller pipes it; the
     * caller must either consume it or {@link ObjectBody#cancel()} it.
     *
     * @param range   null for the whole object
     * @param ifMatch the quoted or bare ETag the object must still have, or null
     */
    Future<ObjectBody> open(String key, ByteRange range, String ifMatch);

    /** Reads a small range whole (tag reading); {@code length} is bounded by the caller. */
    Future<Buffer> read(String key, ByteRange range);

    /** One page of the bucket listing (all keys, no delimiter). {@code token} null for the first page. */
    Future<ObjectListing> list(String token, int maxKeys);

    /** Succeeds when the bucket answers (readiness). */
    Future<Void> check();
}
