package dev.s3music.redis;

import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way the adapters of this module talk to Redis: every command, batch and script has a deadline and
 * every failure comes out as one domain error.
 *
 * <p>Why a deadline of our own: the Vert.x Redis client has none per command. A Redis that stops answering
 * (frozen, a network partition, a failover in progress) leaves the TCP connection open, so a command would wait
 * forever and an API request with it. {@link Future#timeout} fails the caller's future when the deadline passes;
 * the late answer, if any, is dropped by the client.
 *
 * <p>Error mapping: anything Redis or the client reports (a timeout, a refused or reset connection, an error
 * reply) becomes {@link DomainException.Kind#TRANSIENT}, which the API answers with 503.
 */
public final class RedisCommands {

    /** {@code REDIS_TIMEOUT}'s default: far above a healthy Redis round trip (sub-millisecond on a LAN). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final Redis redis;
    private final long timeoutMillis;

    private RedisCommands(Redis redis, Duration timeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeoutMillis = timeout.toMillis();
    }

    /** @param redis a pooled client built by the composition root; @param timeout the deadline of each call */
    public static RedisCommands of(Redis redis, Duration timeout) {
        return new RedisCommands(redis, timeout);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    public Future<Response> send(Request request) {
        return guarded(redis.send(request), request.command().toString());
    }

    public Future<List<Response>> batch(List<Request> requests) {
        return guarded(redis.batch(requests), "batch");
    }

    /** Runs a script; one deadline covers the EVALSHA and, when Redis has forgotten the script, the EVAL. */
    public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
        return guarded(script.run(redis, keys, args), "script " + script.name());
    }

    private <T> Future<T> guarded(Future<T> call, String what) {
        return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(unavailable(what, e)));
    }

    /** The single mapping of a Redis failure to the domain's error. */
    public DomainException unavailable(String what, Throwable e) {
        if (e instanceof DomainException d) {
            return d;
        }
        if (e instanceof TimeoutException) {
            return DomainException.transientFailure("redis: no answer to " + what + " within " + timeoutMillis + " ms", e);
        }
        return DomainException.transientFailure("redis: " + what + ": " + e.getMessage(), e);
    }
}
