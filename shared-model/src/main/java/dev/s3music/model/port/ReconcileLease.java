package dev.s3music.model.port;

import io.vertx.core.Future;

import java.time.Duration;

/**
 * One reconcile at a time for the whole cluster, and its status where every instance reads it.
 *
 * <p>The lease has a holder (the run id of the reconcile that took it) and a time to live: the holder renews it
 * while it runs, and a holder that dies loses it when the time runs out, so another instance may then start. The
 * status is the JSON text of the current or last run, written by the holder (progress, then the final figures).
 */
public interface ReconcileLease {

    /** Takes the lease for {@code holder} when nobody holds it (or its holder's time ran out); true when taken. */
    Future<Boolean> acquire(String holder, Duration ttl);

    /** Extends the lease while {@code holder} still holds it; false when it was lost (expired, taken). */
    Future<Boolean> renew(String holder, Duration ttl);

    /** Gives the lease up if {@code holder} holds it (else changes nothing). */
    Future<Void> release(String holder);

    /** Who holds the lease now, or {@code null}. */
    Future<String> holder();

    /** Records the status JSON of the current or last run, for every instance to read. */
    Future<Void> publishStatus(String statusJson);

    /** The status JSON last recorded, or {@code null} when no run was ever recorded. */
    Future<String> status();
}
