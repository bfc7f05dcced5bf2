package dev.s3music.model.port;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Small JSON documents by key, kept durably (S3 in production): the artist-details cache in front of Discogs,
 * so a Redis flush costs no Discogs calls. Keys are relative paths such as {@code discogs/artist/<id>.json};
 * the adapter decides where they live (a reserved prefix or bucket).
 */
public interface DocumentStore {

    /** The document, or null when there is none. */
    Future<JsonObject> get(String key);

    /** Writes (or replaces) the document. */
    Future<Void> put(String key, JsonObject document);
}
