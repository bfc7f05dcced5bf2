package dev.s3music.indexer.tags;

import dev.s3music.model.ByteRange;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one object fetched so far with ranged GETs. Reads that fall inside a fetched part cost nothing;
 * others fetch at least {@code minFetch} bytes. The total is capped: a file can never make the indexer download
 * more than {@code maxBytes}.
 */
final class RangeCache {

    record Part(long offset, Buffer data) {
        long end() {
            return offset + data.length();
        }
    }

    private final ObjectStore store;
    private final String key;
    private final long size;
    private final long maxBytes;
    private final List<Part> parts = new ArrayList<>();
    private long fetched;

    RangeCache(ObjectStore store, String key, long size, long maxBytes) {
        this.store = store;
        this.key = key;
        this.size = size;
        this.maxBytes = maxBytes;
    }

    long size() {
        return size;
    }

    List<Part> parts() {
        return parts;
    }

    long fetchedBytes() {
        return fetched;
    }

    /** The bytes {@code [offset, offset+length)} clipped to the object, fetching what is missing. */
    Future<Buffer> get(long offset, long length, long minFetch) {
        if (offset >= size || length <= 0) {
            return Future.succeededFuture(Buffer.buffer());
        }
        long end = Math.min(size, offset + length);
        for (Part p : parts) {
            if (p.offset() <= offset && end <= p.end()) {
                return Future.succeededFuture(p.data().getBuffer((int) (offset - p.offset()), (int) (end - p.offset())));
            }
        }
        long fetchEnd = Math.min(size, Math.max(end, offset + minFetch));
        if (fetched + (fetchEnd - offset) > maxBytes) {
            fetchEnd = Math.min(end, offset + Math.max(0, maxBytes - fetched));
            if (fetchEnd <= offset) {
                return Future.failedFuture(new IllegalStateException("tag reading budget of " + maxBytes + " bytes spent"));
            }
        }
        long last = fetchEnd - 1;
        return store.read(key, new ByteRange(offset, last)).map(b -> {
            parts.add(new Part(offset, b));
            fetched += b.length();
            long have = Math.min(end, offset + b.length());
            return b.getBuffer(0, (int) (have - offset));
        });
    }
}
