package dev.s3music.indexer.core;

import dev.s3music.model.SongTags;
import io.vertx.core.Future;

/**
 * Reads what an audio object's own tags say. Fails with a NOT_FOUND {@link dev.s3music.model.DomainException}
 * when the object is gone and TRANSIENT when the store is down; a file whose tags cannot be parsed succeeds
 * with null (the song is indexed from its key alone).
 */
public interface TagSource {

    /** No tag reading: songs are indexed from their keys (benchmarks of the event path, tests). */
    TagSource NONE = (key, format, size) -> Future.succeededFuture(null);

    Future<SongTags> read(String key, String format, long size);
}
