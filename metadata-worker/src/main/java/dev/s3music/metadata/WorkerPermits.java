package dev.s3music.metadata;

import dev.s3music.metadata.discogs.PermitGate;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The permits of one worker loop. The loop {@link #reserve() reserves} a permit before it chooses a job, so the
 * job chosen when a call slot opens is the most urgent one at that moment (a user lookup that arrived during the
 * wait goes first); the job's first call then uses that permit. A reserved permit unused after {@code hold} is
 * dropped, never used late: a late call would bunch with newer ones and could exceed the budget as Discogs
 * counts it. Confined to one verticle's context.
 */
public final class WorkerPermits implements PermitGate {

    /** Upper bound of the random delay added to each wait, so waiting workers do not all ask at once. */
    private static final long JITTER_MS = 15;

    private final Vertx vertx;
    private final RateLimiter limiter;
    private final long holdNanos;
    private final long maxWaitMillis;
    private long reservedAt = -1;
    private String reserved;

    public WorkerPermits(Vertx vertx, RateLimiter limiter, Duration hold, Duration maxWait) {
        this.vertx = vertx;
        this.limiter = limiter;
        this.holdNanos = hold.toNanos();
        this.maxWaitMillis = maxWait.toMillis();
    }

    /** Waits for a permit and keeps it for the next call. */
    public Future<Void> reserve() {
        return waitForPermit(System.currentTimeMillis()).map(id -> {
            reserved = id;
            reservedAt = System.nanoTime();
            return null;
        });
    }

    /** Gives a reserved permit up (no job to use it): it counts as used now. */
    public void drop() {
        if (reserved != null) {
            limiter.completed(reserved);
        }
        reserved = null;
        reservedAt = -1;
    }

    public boolean holdsFreshPermit() {
        return reserved != null && System.nanoTime() - reservedAt <= holdNanos;
    }

    @Override
    public Future<String> acquire() {
        if (holdsFreshPermit()) {
            String id = reserved;
            reserved = null;
            reservedAt = -1;
            return Future.succeededFuture(id);
        }
        drop();
        return waitForPermit(System.currentTimeMillis());
    }

    @Override
    public Future<Void> completed(String grantId) {
        return limiter.completed(grantId);
    }

    private Future<String> waitForPermit(long startedAt) {
        return limiter.tryAcquire().compose(grant -> {
            if (grant.granted()) {
                return Future.succeededFuture(grant.id());
            }
            long wait = grant.waitMillis();
            if (System.currentTimeMillis() - startedAt + wait > maxWaitMillis) {
                return Future.failedFuture(new DomainException(DomainException.Kind.RATE_LIMITED,
                    "no Discogs permit within " + maxWaitMillis + " ms"));
            }
            Promise<String> p = Promise.promise();
            vertx.setTimer(wait + ThreadLocalRandom.current().nextLong(JITTER_MS), t -> p.complete());
            return p.future().compose(v -> waitForPermit(startedAt));
        });
    }
}
