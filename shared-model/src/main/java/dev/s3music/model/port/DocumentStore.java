package dev.s3music.model.port;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Small JSON documents by key, kept durably (S3 in production), each with a version (the ETag) so that writers
 * that race on one document never lose an update: the artist-details cache in front of Discogs (so a Redis flush
 * costs no Discogs calls), and accounts and user data. Keys are relative paths such as
 * {@code discogs/artist/<id>.json}; the adapter decides where they live (a reserved prefix or bucket).
 *
 * <p>Conditional writes are atomic in the store: of writers that {@link #create} one key, or {@link #replace} one
 * document from the same version, exactly one succeeds and every other fails with
 * {@link DomainException.Kind#CONFLICT} (HTTP 409 at the API). The loser reads again and decides.
 *
 * <p>A version names the content, not the write: on S3 it is the MD5 ETag of the body, so writing the same body
 * again keeps the version. A replace from a version therefore succeeds exactly when the document still holds
 * what was read at that version, which is what a read-modify-write needs.
 *
 * <p>Documents are at most {@link #MAX_BYTES} of JSON; larger writes fail with {@code INVALID}.
 */
public interface DocumentStore {

    /** Documents are a few KB; anything far larger is not ours. */
    int MAX_BYTES = 1024 * 1024;

    /** Page size of {@link #list} at most (the S3 listing page). */
    int MAX_LIST_LIMIT = 1000;

    /** The document and its version, or null when there is none. */
    Future<Versioned<JsonObject>> get(String key);

    /** Writes the document only when there is none under {@code key}; the new version, else {@code CONFLICT}. */
    Future<String> create(String key, JsonObject document);

    /**
     * Writes the document only when it is still at {@code expectedVersion}; the new version, else {@code CONFLICT}
     * (it changed, or it was deleted).
     */
    Future<String> replace(String key, JsonObject document, String expectedVersion);

    /** Writes (or replaces) the document unconditionally: for caches, where the last writer may win. */
    Future<Void> put(String key, JsonObject document);

    /** Removes the document; succeeds whether or not there was one (deletes are idempotent, as on S3). */
    Future<Void> delete(String key);

    /**
     * One page of at most {@code limit} (1..{@link #MAX_LIST_LIMIT}) documents whose key starts with
     * {@code prefix} ({@code ""} for all), in key order; pass the page's cursor back (null for the first page).
     */
    Future<DocumentPage> list(String prefix, String cursor, int limit);
}
