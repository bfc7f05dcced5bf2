package dev.s3music.indexer.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link ReconcileVerticle} reconciles and prunes, beside the reconciles asked for.
 *
 * @param reconcileWhenEmpty a reconcile at start when the catalog is empty
 * @param every              a reconcile this often ({@code RECONCILE_EVERY}, default daily; {@code null}: never).
 *                           Every indexer instance has the timer; the lease lets one run, and an instance whose
 *                           last shared run finished less than half a period ago skips its turn
 * @param leaseTtl           the reconcile lease's time to live (renewed every third of it while a run goes on): how
 *                           long a dead holder blocks the next reconcile
 * @param pruneEvery         how often tombstones are pruned ({@code null}: never)
 * @param tombstoneRetention tombstones older than this are pruned; see {@link #TOMBSTONE_RETENTION}
 */
public record ReconcileSchedule(boolean reconcileWhenEmpty, Duration every, Duration leaseTtl, Duration pruneEvery,
                                Duration tombstoneRetention) {

    /** {@code RECONCILE_EVERY}'s default: a daily reconcile heals any event lost for whatever reason within a day. */
    public static final Duration DEFAULT_EVERY = Duration.ofDays(1);
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    /** Pruning is cheap (a bounded HSCAN step per 1,000 key states); hourly keeps the tombstones few. */
    public static final Duration DEFAULT_PRUNE_EVERY = Duration.ofHours(1);
    /**
     * 15 days: SQS keeps a message at most 14 days (MessageRetentionPeriod's maximum), so no event older than that
     * can still be delivered, from the queue or a DLQ redrive (a redriven message keeps its original age for the
     * retention); one more day covers notification delivery delays and clock differences. A tombstone is only
     * needed while an older event for its key may still arrive.
     */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(15);

    public ReconcileSchedule {
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
        if (every != null && (every.isZero() || every.isNegative())) {
            every = null;
        }
        if (pruneEvery != null && (pruneEvery.isZero() || pruneEvery.isNegative())) {
            pruneEvery = null;
        }
    }

    /** Production: daily reconcile, 30 s lease, hourly pruning of tombstones older than 15 days. */
    public static ReconcileSchedule defaults() {
        return new ReconcileSchedule(true, DEFAULT_EVERY, DEFAULT_LEASE_TTL, DEFAULT_PRUNE_EVERY, TOMBSTONE_RETENTION);
    }

    /** Only on request (and at start when empty, if asked): no timers. */
    public static ReconcileSchedule onRequest(boolean reconcileWhenEmpty) {
        return new ReconcileSchedule(reconcileWhenEmpty, null, DEFAULT_LEASE_TTL, null, TOMBSTONE_RETENTION);
    }

    public ReconcileSchedule withEvery(Duration d) {
        return new ReconcileSchedule(reconcileWhenEmpty, d, leaseTtl, pruneEvery, tombstoneRetention);
    }

    public ReconcileSchedule withLeaseTtl(Duration d) {
        return new ReconcileSchedule(reconcileWhenEmpty, every, d, pruneEvery, tombstoneRetention);
    }

    public ReconcileSchedule withPruning(Duration every, Duration retention) {
        return new ReconcileSchedule(reconcileWhenEmpty, this.every, leaseTtl, every, retention);
    }
}
