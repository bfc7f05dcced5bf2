package dev.s3music.metadata.memory;

import dev.s3music.metadata.port.RateLimiter;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The budget of a single process (the embedded default): the same sliding-window log as the Redis adapter, in
 * memory. Thread-safe: several verticle instances may share it.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    private final int rate;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Deque<Long> grants = new ArrayDeque<>();
    private long pausedUntil;

    public InMemoryRateLimiter(int rate, Duration window, Duration margin) {
        this(rate, window, margin, System::currentTimeMillis);
    }

    public InMemoryRateLimiter(int rate, Duration window, Duration margin, LongSupplier clock) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1, was " + rate);
        }
        this.rate = rate;
        this.windowMillis = window.plus(margin).toMillis();
        this.clock = clock;
    }

    @Override
    public synchronized Future<Long> tryAcquire() {
        long now = clock.getAsLong();
        if (pausedUntil > now) {
            return Future.succeededFuture(pausedUntil - now);
        }
        while (!grants.isEmpty() && grants.peekFirst() <= now - windowMillis) {
            grants.pollFirst();
        }
        if (grants.size() < rate) {
            grants.addLast(now);
            return Future.succeededFuture(0L);
        }
        return Future.succeededFuture(Math.max(1, grants.peekFirst() + windowMillis - now + 1));
    }

    @Override
    public synchronized Future<Void> pause(long millis) {
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + millis);
        return Future.succeededFuture();
    }
}
