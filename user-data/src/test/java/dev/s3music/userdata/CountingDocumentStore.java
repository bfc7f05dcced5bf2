package dev.s3music.userdata;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link DocumentStore} that counts the requests it passes on (writes are S3 PUTs). */
public final class CountingDocumentStore implements DocumentStore {

    private final DocumentStore store;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    public CountingDocumentStore(DocumentStore store) {
        this.store = store;
    }

    /** create, replace and put: one S3 PUT each. */
    public long writes() {
        return writes.get();
    }

    public long reads() {
        return reads.get();
    }

    @Override
    public Future<Versioned<JsonObject>> get(String key) {
        reads.incrementAndGet();
        return store.get(key);
    }

    @Override
    public Future<String> create(String key, JsonObject document) {
        writes.incrementAndGet();
        return store.create(key, document);
    }

    @Override
    public Future<String> replace(String key, JsonObject document, String expectedVersion) {
        writes.incrementAndGet();
        return store.replace(key, document, expectedVersion);
    }

    @Override
    public Future<Void> put(String key, JsonObject document) {
        writes.incrementAndGet();
        return store.put(key, document);
    }

    @Override
    public Future<Void> delete(String key) {
        return store.delete(key);
    }

    @Override
    public Future<DocumentPage> list(String prefix, String cursor, int limit) {
        return store.list(prefix, cursor, limit);
    }
}
