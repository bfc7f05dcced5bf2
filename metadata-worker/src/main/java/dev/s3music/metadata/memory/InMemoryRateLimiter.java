package dev.s3music.metadata.memory;

import dev.s3music.model.port.RateLimiter;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The budget of a single process (the embedded default): the same sliding-window log as the Redis adapter, in
 * memory. Thread-safe: several verticle instances may share it.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    private final int rate;
    private final long windowMillis;
    private final LongSupplier clock;
    /** Grant id -> time, in time order (a re-stamp moves the grant to the end, at the latest time). */
    private final LinkedHashMap<String, Long> grants = new LinkedHashMap<>();
    private final long spacingMillis;
    private long pausedUntil;
    /** GCRA pacing: grants are allowed up to one spacing ahead of this time. */
    private long theoreticalArrival;

    /** Paced: one grant per {@code window / rate} at most, as the Redis adapter. */
    public InMemoryRateLimiter(int rate, Duration window, Duration margin) {
        this(rate, window, margin, window.dividedBy(Math.max(1, rate)), System::currentTimeMillis);
    }

    /** @param spacing pacing as in the Redis adapter (GCRA, tolerance one spacing); zero allows bursts */
    public InMemoryRateLimiter(int rate, Duration window, Duration margin, Duration spacing, LongSupplier clock) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1, was " + rate);
        }
        this.rate = rate;
        this.windowMillis = window.plus(margin).toMillis();
        this.spacingMillis = spacing.toMillis();
        this.clock = clock;
    }

    @Override
    public synchronized Future<Grant> tryAcquire() {
        long now = clock.getAsLong();
        if (pausedUntil > now) {
            return Future.succeededFuture(new Grant(null, pausedUntil - now));
        }
        long tat = Math.max(now, theoreticalArrival);
        if (tat - now > spacingMillis) {
            return Future.succeededFuture(new Grant(null, tat - now - spacingMillis));
        }
        Iterator<Map.Entry<String, Long>> it = grants.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() <= now - windowMillis) {
            it.remove();
        }
        if (grants.size() < rate) {
            String id = UUID.randomUUID().toString();
            grants.put(id, now);
            theoreticalArrival = tat + spacingMillis;
            return Future.succeededFuture(new Grant(id, 0));
        }
        long oldest = grants.values().iterator().next();
        return Future.succeededFuture(new Grant(null, Math.max(1, oldest + windowMillis - now + 1)));
    }

    @Override
    public synchronized Future<Void> completed(String grantId) {
        if (grants.remove(grantId) != null) {
            grants.put(grantId, Math.max(clock.getAsLong(), lastTime()));
        }
        return Future.succeededFuture();
    }

    private long lastTime() {
        long last = Long.MIN_VALUE;
        for (long t : grants.values()) {
            last = t;
        }
        return last;
    }

    @Override
    public synchronized Future<Void> pause(long millis) {
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + millis);
        return Future.succeededFuture();
    }
}
