package dev.s3music.model.port;

import io.vertx.core.Future;

/**
 * The catalog (the SongMap): presentation names to S3 keys. What an adapter implements: the API reads it as a
 * {@link CatalogReader}, the indexer writes it as a {@link CatalogWriter}. Writes are idempotent.
 */
public interface Catalog extends CatalogReader, CatalogWriter {

    /** Number of songs. */
    @Override
    Future<Long> size();
}
