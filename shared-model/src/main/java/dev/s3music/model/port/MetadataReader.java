package dev.s3music.model.port;

import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import io.vertx.core.Future;

/**
 * What the API asks for metadata. Answers at once from the caches; on a miss it asks the worker with user-facing
 * priority and answers {@code pending}. Never waits on Discogs.
 */
public interface MetadataReader {

    Future<Metadata> metadata(MetadataRef ref);

    /** The reader of a server without metadata (no token): always unavailable. */
    static MetadataReader unavailable() {
        return ref -> Future.succeededFuture(Metadata.unavailable());
    }
}
