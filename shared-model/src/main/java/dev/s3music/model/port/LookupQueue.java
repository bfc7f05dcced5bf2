package dev.s3music.model.port;

import dev.s3music.model.metadata.LookupJob;
import dev.s3music.model.metadata.Priority;
import io.vertx.core.Future;

/**
 * The durable queue of lookups, shared by every worker. Jobs with the same {@link LookupJob#key()} coalesce: an
 * offer of a job already queued or running adds nothing, except that a higher priority moves the queued job up.
 * A taken job is leased: it stays in flight until {@link #ack} and goes back to the queue when its lease
 * expires (the worker died), so no queued or running work is lost.
 */
public interface LookupQueue {

    /** The outcome of an offer. */
    enum Offer { QUEUED, PROMOTED, COALESCED }

    /** A taken job, owned by its taker until acked or until {@code leaseMillis} pass. */
    record Lease(LookupJob job, Priority priority, String token) {
    }

    Future<Offer> offer(LookupJob job, Priority priority);

    /** The most urgent job, leased for {@code leaseMillis}; null when the queue is empty. */
    Future<Lease> take(long leaseMillis);

    /** Done with the job (whatever its outcome): it leaves the in-flight set. */
    Future<Void> ack(Lease lease);

    /** Puts jobs whose lease expired back at the head of their priority band; answers how many. */
    Future<Integer> recoverExpired();

    /** Jobs waiting (not in flight). */
    Future<Long> size();
}
