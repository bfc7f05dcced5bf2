package dev.s3music.model.memory;

import dev.s3music.model.port.ReconcileLease;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;

/**
 * The lease in memory: one process (the embedded default, {@code USE_REDIS=false}, and tests), where every
 * instance shares this object. Expiry uses the monotonic clock. Every call completes at once.
 */
public final class InMemoryReconcileLease implements ReconcileLease {

    private String holder;
    private long expiresAtNanos;
    private String status;

    @Override
    public synchronized Future<Boolean> acquire(String holder, Duration ttl) {
        Objects.requireNonNull(holder, "holder");
        if (current() != null) {
            return Future.succeededFuture(false);
        }
        this.holder = holder;
        this.expiresAtNanos = System.nanoTime() + ttl.toNanos();
        return Future.succeededFuture(true);
    }

    @Override
    public synchronized Future<Boolean> renew(String holder, Duration ttl) {
        if (!holder.equals(current())) {
            return Future.succeededFuture(false);
        }
        expiresAtNanos = System.nanoTime() + ttl.toNanos();
        return Future.succeededFuture(true);
    }

    @Override
    public synchronized Future<Void> release(String holder) {
        if (holder.equals(current())) {
            this.holder = null;
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<String> holder() {
        return Future.succeededFuture(current());
    }

    @Override
    public synchronized Future<Void> publishStatus(String statusJson) {
        this.status = statusJson;
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<String> status() {
        return Future.succeededFuture(status);
    }

    private String current() {
        if (holder != null && System.nanoTime() - expiresAtNanos >= 0) {
            holder = null;
        }
        return holder;
    }
}
