package dev.s3music.metadata.memory;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.model.port.MetadataCache;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The metadata cache of a single process (the embedded default), with TTLs. */
public final class InMemoryMetadataCache implements MetadataCache {

    private record Stored(CacheEntry entry, long expiresAt) {
    }

    private final Map<String, Stored> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> fetched = new ConcurrentHashMap<>();

    @Override
    public Future<CacheEntry> get(String key) {
        Stored s = entries.get(key);
        if (s == null) {
            return Future.succeededFuture(null);
        }
        if (s.expiresAt <= System.currentTimeMillis()) {
            entries.remove(key, s);
            return Future.succeededFuture(null);
        }
        return Future.succeededFuture(s.entry);
    }

    @Override
    public Future<Void> put(String key, CacheEntry entry, Duration ttl) {
        entries.put(key, new Stored(entry, System.currentTimeMillis() + ttl.toMillis()));
        fetched.put(key, entry.fetchedAtMillis());
        return Future.succeededFuture();
    }

    @Override
    public Future<List<String>> oldest(long fetchedBeforeMillis, int limit) {
        return Future.succeededFuture(fetched.entrySet().stream().filter(e -> e.getValue() < fetchedBeforeMillis)
            .sorted(Map.Entry.comparingByValue()).limit(limit).map(Map.Entry::getKey).toList());
    }

    @Override
    public Future<Void> forget(String key) {
        fetched.remove(key);
        return Future.succeededFuture();
    }
}
