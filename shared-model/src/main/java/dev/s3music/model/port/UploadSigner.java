package dev.s3music.model.port;

import dev.s3music.model.UploadPart;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Multipart uploads that a browser sends straight to the bucket: the server starts the upload, signs one URL per
 * part (the browser PUTs the part's bytes to it and reads the part's {@code ETag}), lists what arrived (resume after a
 * network drop), completes or aborts. No audio byte passes through the server. Keys are validated by the caller.
 * Failures are {@link dev.s3music.model.DomainException}s: NOT_FOUND for an unknown upload id, INVALID for a
 * completion S3 refuses (a part missing, too small, a wrong ETag), TRANSIENT when the store is down.
 */
public interface UploadSigner {

    /** S3's smallest part but the last. */
    long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts per upload. */
    int MAX_PARTS = 10_000;

    /** Starts an upload of {@code key}; its upload id. */
    Future<String> create(String key, String contentType);

    /** A presigned PUT URL per part number, valid for {@code validity}, reachable by the browser. */
    Future<Map<Integer, String>> signParts(String key, String uploadId, List<Integer> partNumbers, Duration validity);

    /** The parts S3 holds for this upload, by part number (every page). */
    Future<List<UploadPart>> listParts(String key, String uploadId);

    /** Assembles the object from these parts (part number and ETag each, in ascending order). */
    Future<Void> complete(String key, String uploadId, List<UploadPart> parts);

    /** Drops the upload and the parts it holds. */
    Future<Void> abort(String key, String uploadId);
}
