package dev.s3music.model.port;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The picture embedded in an audio object's tags (ID3 APIC, FLAC PICTURE, MP4 covr), read with ranged reads,
 * never the whole object. Implemented beside the tag reader (indexer); the API's cover art uses it.
 */
public interface EmbeddedPictures {

    /** No embedded pictures are read. */
    EmbeddedPictures NONE = (key, format, size) -> Future.succeededFuture(null);

    /**
     * The first (front cover first) picture's bytes, or null when the object holds none that could be read.
     * Fails NOT_FOUND when the object is gone, TRANSIENT when the store is down.
     */
    Future<Buffer> picture(String key, String format, long size);
}
