package dev.s3music.model.port;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Small binary objects by key, kept durably (S3 in production): derived files the server can always make again,
 * such as resized cover art. Keys are relative paths; the adapter decides where they live (a reserved prefix).
 * Writes are unconditional (the last writer wins: every writer of one key writes the same bytes). Bodies are at
 * most {@link #MAX_BYTES}; larger writes fail with {@code INVALID}.
 */
public interface BlobStore {

    /** A resized cover is a few hundred KB at most. */
    int MAX_BYTES = 8 * 1024 * 1024;

    /** The bytes, or null when there are none under {@code key}. */
    Future<Buffer> get(String key);

    /** Writes (or replaces) the bytes with this content type. */
    Future<Void> put(String key, Buffer bytes, String contentType);
}
