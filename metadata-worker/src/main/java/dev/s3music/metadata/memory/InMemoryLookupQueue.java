package dev.s3music.metadata.memory;

import dev.s3music.model.metadata.LookupJob;
import dev.s3music.model.metadata.Priority;
import dev.s3music.model.port.LookupQueue;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lookup queue of a single process, with the Redis adapter's semantics (priorities, coalescing, leases) but
 * nothing durable: the embedded default loses its queue on restart and warms up again from the catalog.
 */
public final class InMemoryLookupQueue implements LookupQueue {

    private record Pending(LookupJob job, Priority priority, long order) {
    }

    private record InFlight(LookupJob job, Priority priority, String token, long expiresAt) {
    }

    private final TreeMap<Long, String> order = new TreeMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private long seq;

    private static final long BAND = 10_000_000_000_000L;

    @Override
    public synchronized Future<Offer> offer(LookupJob job, Priority priority) {
        String key = job.key();
        Pending cur = pending.get(key);
        if (cur != null) {
            if (priority.band() < cur.priority.band()) {
                order.remove(cur.order);
                add(job, priority, priority.band() * BAND + ++seq);
                return Future.succeededFuture(Offer.PROMOTED);
            }
            return Future.succeededFuture(Offer.COALESCED);
        }
        if (inFlight.containsKey(key)) {
            return Future.succeededFuture(Offer.COALESCED);
        }
        add(job, priority, priority.band() * BAND + ++seq);
        return Future.succeededFuture(Offer.QUEUED);
    }

    private void add(LookupJob job, Priority priority, long o) {
        pending.put(job.key(), new Pending(job, priority, o));
        order.put(o, job.key());
    }

    @Override
    public synchronized Future<Lease> take(long leaseMillis) {
        Map.Entry<Long, String> first = order.pollFirstEntry();
        if (first == null) {
            return Future.succeededFuture(null);
        }
        Pending p = pending.remove(first.getValue());
        String token = UUID.randomUUID().toString();
        inFlight.put(p.job.key(), new InFlight(p.job, p.priority, token, System.currentTimeMillis() + leaseMillis));
        return Future.succeededFuture(new Lease(p.job, p.priority, token));
    }

    @Override
    public synchronized Future<Void> ack(Lease lease) {
        InFlight f = inFlight.get(lease.job().key());
        if (f != null && f.token.equals(lease.token())) {
            inFlight.remove(lease.job().key());
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Integer> recoverExpired() {
        long now = System.currentTimeMillis();
        int n = 0;
        for (InFlight f : inFlight.values().stream().filter(f -> f.expiresAt <= now).toList()) {
            inFlight.remove(f.job.key());
            if (!pending.containsKey(f.job.key())) {
                long o = f.priority.band() * BAND - (++seq); // head of its band
                add(f.job, f.priority, o);
                n++;
            }
        }
        return Future.succeededFuture(n);
    }

    @Override
    public synchronized Future<Long> size() {
        return Future.succeededFuture((long) pending.size());
    }
}
