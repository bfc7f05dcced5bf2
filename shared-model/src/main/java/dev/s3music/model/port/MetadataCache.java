package dev.s3music.model.port;

import dev.s3music.model.metadata.CacheEntry;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * Looked-up metadata by cache key ({@code kind:catalogId}), with a time to live, shared by API and workers
 * (Redis in production). It also remembers when each entry was fetched, so the daily refresh can take the
 * oldest first.
 */
public interface MetadataCache {

    /** The entry, or null when absent or expired. */
    Future<CacheEntry> get(String key);

    Future<Void> put(String key, CacheEntry entry, Duration ttl);

    /** Up to {@code limit} keys fetched before {@code fetchedBeforeMillis}, oldest first. */
    Future<List<String>> oldest(long fetchedBeforeMillis, int limit);

    /** Drops a key from the refresh order (its entry expired or is refreshed no more). */
    Future<Void> forget(String key);
}
