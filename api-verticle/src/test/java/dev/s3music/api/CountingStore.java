package dev.s3music.api;

import dev.s3music.model.ByteRange;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import dev.s3music.model.port.ObjectBody;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.AtomicInteger;

/** An ObjectStore that counts the requests reaching the real one: proves which answers cost no S3 request. */
final class CountingStore implements ObjectStore {

    private final ObjectStore delegate;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger heads = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();

    CountingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    void reset() {
        requests.set(0);
        heads.set(0);
        opens.set(0);
    }

    @Override
    public String bucket() {
        return delegate.bucket();
    }

    @Override
    public Future<ObjectInfo> head(String key) {
        requests.incrementAndGet();
        heads.incrementAndGet();
        return delegate.head(key);
    }

    @Override
    public Future<ObjectBody> open(String key, ByteRange range, String ifMatch) {
        requests.incrementAndGet();
        opens.incrementAndGet();
        return delegate.open(key, range, ifMatch);
    }

    @Override
    public Future<Buffer> read(String key, ByteRange range) {
        requests.incrementAndGet();
        return delegate.read(key, range);
    }

    @Override
    public Future<ObjectListing> list(String token, int maxKeys) {
        requests.incrementAndGet();
        return delegate.list(token, maxKeys);
    }

    @Override
    public Future<Void> check() {
        requests.incrementAndGet();
        return delegate.check();
    }
}
