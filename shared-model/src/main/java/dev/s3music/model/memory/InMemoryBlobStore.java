package dev.s3music.model.memory;

import dev.s3music.model.DomainException;
import dev.s3music.model.port.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link BlobStore} in memory: tests and the domain's unit tests. */
public final class InMemoryBlobStore implements BlobStore {

    private final Map<String, Buffer> blobs = new ConcurrentHashMap<>();

    @Override
    public Future<Buffer> get(String key) {
        Buffer b = blobs.get(key);
        return Future.succeededFuture(b == null ? null : b.copy());
    }

    @Override
    public Future<Void> put(String key, Buffer bytes, String contentType) {
        if (bytes.length() > MAX_BYTES) {
            return Future.failedFuture(DomainException.invalid(key + ": over " + MAX_BYTES + " bytes"));
        }
        blobs.put(key, bytes.copy());
        return Future.succeededFuture();
    }

    /** The keys held now. */
    public java.util.Set<String> keys() {
        return java.util.Set.copyOf(blobs.keySet());
    }
}
