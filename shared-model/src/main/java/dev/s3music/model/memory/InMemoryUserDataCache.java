package dev.s3music.model.memory;

import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link UserDataCache} in memory (the embedded default: one process), bounded: the least recently used entries
 * leave beyond {@code capacity} and are read from the store again when asked for. Documents are kept serialized,
 * so callers may mutate what they passed or got.
 */
public final class InMemoryUserDataCache implements UserDataCache {

    private record Entry(String json, String version, long rev) {
    }

    private final Map<String, Entry> entries;

    public InMemoryUserDataCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    public InMemoryUserDataCache() {
        this(100_000);
    }

    @Override
    public synchronized Future<CachedDocument> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Future.succeededFuture();
        }
        return Future.succeededFuture(new CachedDocument(
            e.json() == null ? null : new io.vertx.core.json.JsonObject(e.json()), e.version(), e.rev()));
    }

    @Override
    public synchronized Future<Void> offer(String key, CachedDocument entry) {
        Entry old = entries.get(key);
        if (old == null || entry.rev() > old.rev()) {
            entries.put(key, new Entry(entry.document() == null ? null : entry.document().encode(), entry.version(),
                entry.rev()));
        }
        return Future.succeededFuture();
    }

    public synchronized int size() {
        return entries.size();
    }
}
