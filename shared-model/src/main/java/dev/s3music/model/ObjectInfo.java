package dev.s3music.model;

import java.time.Instant;

/**
 * What the object store says of one object.
 *
 * @param etag the ETag without quotes, or null when the store sent none
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {
}
