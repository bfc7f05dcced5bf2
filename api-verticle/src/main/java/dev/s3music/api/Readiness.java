package dev.s3music.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} checks, and the drain switch of a graceful shutdown. One instance per process,
 * shared by every HTTP verticle instance (so it is thread-safe): the composition root builds it with the checks
 * of its role (Redis, the S3 bucket, the SQS queue, cluster membership...) and calls {@link #drain()} on SIGTERM.
 *
 * <p>Draining: readiness answers 503 at once (the load balancer stops sending), and the API refuses new requests
 * (503, {@code Connection: close}) while those in flight ({@link #inFlight()}) get the shutdown grace to finish.
 *
 * <p>Caching: the checks are probed at most once per {@link #DEFAULT_CACHE_FOR} (about a second), and callers
 * arriving while a probe runs share it (single flight), so anonymous {@code /health/ready} floods cost the
 * dependencies nothing more (each used to make a HeadBucket, a GetQueueAttributes and a PING). Draining is read at
 * each call, never cached. The details (targets such as queue URLs, which hold the AWS account id, and error
 * texts) are for the management port only: the public port answers {@link Result#publicBody()}.
 */
public final class Readiness {

    /**
     * One dependency to probe.
     *
     * @param name   the key in the answer's {@code checks} ({@code redis}, {@code s3}, {@code sqs}, {@code cluster})
     * @param target what is probed, shown in the answer (a bucket, a queue URL); null for none
     * @param probe  succeeds when the dependency answers; called on an event loop, must not block
     */
    public record Check(String name, String target, Supplier<Future<Void>> probe) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /**
     * Key in the routing context of a response's "last byte written to the socket" future, when the handler knows
     * it (the stream relay does). The drain counts such a request until that future completes, not when
     * {@code end()} is called: {@code end()} returns while up to the relay's window of bytes still waits in Netty for
     * a slow listener, and closing the process then would cut the end of the song.
     */
    static final String WRITTEN = "s3music.written";

    private final List<Check> checks;
    private final Duration timeout;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long cacheForNanos;
    /** The last probe (running or done) and when it started; replaced once older than the cache period. */
    private final AtomicReference<Probed> last = new AtomicReference<>();

    /** How long a probe's outcome is reused. */
    public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(1);

    private record Probed(long startedNanos, Future<Checked> outcome) {
    }

    private record Checked(boolean up, JsonObject checks) {
    }

    /**
     * @param timeout how long each check may take before it counts as down
     * @param checks  probed in parallel on each {@code /health/ready}
     */
    public Readiness(Duration timeout, List<Check> checks) {
        this(timeout, checks, DEFAULT_CACHE_FOR);
    }

    /** @param cacheFor how long one probe's outcome serves every caller; zero probes at each call */
    public Readiness(Duration timeout, List<Check> checks, Duration cacheFor) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.checks = List.copyOf(checks);
        this.cacheForNanos = cacheFor.toNanos();
    }

    public List<Check> checks() {
        return checks;
    }

    /** From now on readiness is 503 and new API requests are refused. Idempotent. */
    public void drain() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** API requests (health excluded) being answered now: streams in progress included. */
    public int inFlight() {
        return inFlight.get();
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    /**
     * The answer from the last probe of every check if it started less than the cache period ago (or is still
     * running), else from a new one; never fails. Draining is current.
     */
    public Future<Result> evaluate() {
        long now = System.nanoTime();
        Probed p = last.get();
        while (p == null || p.outcome().isComplete() && now - p.startedNanos() >= cacheForNanos) {
            io.vertx.core.Promise<Checked> promise = io.vertx.core.Promise.promise();
            Probed mine = new Probed(now, promise.future());
            if (last.compareAndSet(p, mine)) {
                // this caller probes; concurrent callers share its future
                probe().onComplete(promise);
                p = mine;
                break;
            }
            p = last.get();
        }
        return p.outcome().map(c -> {
            boolean draining = draining();
            JsonObject body = new JsonObject().put("status", c.up() && !draining ? "up" : "down");
            if (draining) {
                body.put("draining", true);
            }
            body.put("checks", c.checks().copy());
            return new Result(c.up() && !draining, body);
        });
    }

    private Future<Checked> probe() {
        List<Future<Void>> probes = new ArrayList<>(checks.size());
        for (Check c : checks) {
            Future<Void> f;
            try {
                f = c.probe().get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            probes.add(f.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return Future.join(probes).transform(x -> {
            JsonObject results = new JsonObject();
            boolean up = true;
            for (int i = 0; i < checks.size(); i++) {
                Check c = checks.get(i);
                Future<Void> f = probes.get(i);
                JsonObject j = new JsonObject().put("status", f.succeeded() ? "up" : "down");
                if (c.target() != null) {
                    j.put("target", c.target());
                }
                if (f.failed()) {
                    up = false;
                    j.put("error", String.valueOf(f.cause().getMessage()));
                }
                results.put(c.name(), j);
            }
            return Future.succeededFuture(new Checked(up, results));
        });
    }

    /** @param ready whether to answer 200; {@code body} the JSON answer with every check's details */
    public record Result(boolean ready, JsonObject body) {

        /** What anyone may see: {@code {"status":"up"|"down"}}, plus {@code draining} while draining. */
        public JsonObject publicBody() {
            JsonObject pub = new JsonObject().put("status", body.getString("status"));
            if (body.containsKey("draining")) {
                pub.put("draining", body.getValue("draining"));
            }
            return pub;
        }
    }
}
