package dev.s3music.model.user;

import io.vertx.core.json.JsonObject;

/**
 * One user-data document as a {@link UserDataCache} holds it: the document and its store version, or the knowledge
 * that there is none ({@code document} and {@code version} null).
 *
 * @param rev grows by one with every write of the document (kept inside it as {@code "rev"}; a deletion leaves a
 *            tombstone one higher), so a cache keeps the newest of two racing offers whatever order they arrive in
 */
public record CachedDocument(JsonObject document, String version, long rev) {

    public static CachedDocument absent(long rev) {
        return new CachedDocument(null, null, rev);
    }

    public boolean exists() {
        return document != null;
    }
}
