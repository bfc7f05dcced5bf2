package dev.s3music.model.memory;

import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link UserDataCache} in memory (the embedded default: one process), bounded: the least recently used entries
 * leave beyond {@code capacity} and are read from the store again when asked for. An offered document is copied (the
 * caller may go on changing its own); a read answers the kept instance itself, without a copy or a parse (a
 * listener's plays document holds thousands of songs), so readers must not change it (the port's rule).
 */
public final class InMemoryUserDataCache implements UserDataCache {

    private record Entry(JsonObject document, String version, long rev) {
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
        return Future.succeededFuture(new CachedDocument(e.document(), e.version(), e.rev()));
    }

    @Override
    public synchronized Future<Void> offer(String key, CachedDocument entry) {
        Entry old = entries.get(key);
        if (old == null || entry.rev() > old.rev()) {
            entries.put(key, new Entry(entry.document() == null ? null : entry.document().copy(), entry.version(),
                entry.rev()));
        }
        return Future.succeededFuture();
    }

    public synchronized int size() {
        return entries.size();
    }
}
