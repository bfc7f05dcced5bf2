package dev.s3music.indexer;

import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import dev.s3music.model.port.ObjectBody;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** An object store in memory that counts what is read: the fake of the ObjectStore port in domain tests. */
public final class BytesObjectStore implements ObjectStore {

    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    public final AtomicLong bytesRead = new AtomicLong();
    public final AtomicLong reads = new AtomicLong();
    /** listings of a first page: one per reconcile */
    public final AtomicLong firstPages = new AtomicLong();
    /** listings wait for this (tests hold a reconcile running) */
    public final java.util.concurrent.atomic.AtomicReference<Future<Void>> listGate =
        new java.util.concurrent.atomic.AtomicReference<>(Future.succeededFuture());

    public BytesObjectStore put(String key, byte[] data) {
        objects.put(key, data);
        return this;
    }

    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public String bucket() {
        return "memory";
    }

    @Override
    public Future<ObjectInfo> head(String key) {
        byte[] b = objects.get(key);
        return b == null ? Future.failedFuture(DomainException.notFound(key))
            : Future.succeededFuture(new ObjectInfo(key, b.length, "e" + java.util.Arrays.hashCode(b), Instant.EPOCH));
    }

    @Override
    public Future<ObjectBody> open(String key, ByteRange range, String ifMatch) {
        return Future.failedFuture(new UnsupportedOperationException("not for the indexer"));
    }

    @Override
    public Future<Buffer> read(String key, ByteRange range) {
        byte[] b = objects.get(key);
        if (b == null) {
            return Future.failedFuture(DomainException.notFound(key));
        }
        int from = (int) Math.min(range.first(), b.length);
        int to = (int) Math.min(range.last() + 1, b.length);
        reads.incrementAndGet();
        bytesRead.addAndGet(to - from);
        return Future.succeededFuture(Buffer.buffer(java.util.Arrays.copyOfRange(b, from, to)));
    }

    @Override
    public Future<ObjectListing> list(String token, int maxKeys) {
        if (token == null) {
            firstPages.incrementAndGet();
        }
        return listGate.get().map(v -> listNow(token, maxKeys));
    }

    private ObjectListing listNow(String token, int maxKeys) {
        List<ObjectInfo> page = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, byte[]> e : ((ConcurrentSkipListMap<String, byte[]>) objects)
            .tailMap(token == null ? "" : token, token == null).entrySet()) {
            if (page.size() >= maxKeys) {
                break;
            }
            page.add(new ObjectInfo(e.getKey(), e.getValue().length, "e" + java.util.Arrays.hashCode(e.getValue()), Instant.EPOCH));
            last = e.getKey();
        }
        boolean more = last != null && ((ConcurrentSkipListMap<String, byte[]>) objects).higherKey(last) != null;
        return new ObjectListing(page, more && page.size() == maxKeys ? last : null);
    }

    @Override
    public Future<Void> check() {
        return Future.succeededFuture();
    }
}
