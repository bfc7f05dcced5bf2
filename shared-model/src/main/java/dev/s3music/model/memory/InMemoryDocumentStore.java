package dev.s3music.model.memory;

import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DocumentStore} in memory, for the embedded default and tests. Stores copies: callers may mutate theirs. */
public final class InMemoryDocumentStore implements DocumentStore {

    private final Map<String, JsonObject> docs = new ConcurrentHashMap<>();

    @Override
    public Future<JsonObject> get(String key) {
        JsonObject d = docs.get(key);
        return Future.succeededFuture(d == null ? null : d.copy());
    }

    @Override
    public Future<Void> put(String key, JsonObject document) {
        docs.put(key, document.copy());
        return Future.succeededFuture();
    }

    public int size() {
        return docs.size();
    }
}
