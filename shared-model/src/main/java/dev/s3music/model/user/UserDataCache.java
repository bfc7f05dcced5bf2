package dev.s3music.model.user;

import io.vertx.core.Future;

/**
 * The fast copy of user-data documents in front of their durable store (S3): Redis with {@code USE_REDIS=true},
 * memory in the embedded default. It only ever holds what the store held at some moment, so an empty cache (a
 * flushed Redis) is rebuilt from the store, one document at a time, as it is read. Keys are the documents' keys.
 *
 * <p>Offers race (two instances write one document, a reader fills a miss with what it read earlier): the entry
 * with the higher {@link CachedDocument#rev} wins, whatever the order of arrival. Writers never trust the cache
 * for correctness: a conditional write from a stale cached version fails CONFLICT and re-reads the store.
 */
public interface UserDataCache {

    /**
     * The cached entry, or null when the cache does not know the key (a miss: read the store). The document may be
     * shared with other readers: never change it (copy it first).
     */
    Future<CachedDocument> get(String key);

    /** Keeps {@code entry} unless the cache holds one with a higher or equal rev. */
    Future<Void> offer(String key, CachedDocument entry);
}
