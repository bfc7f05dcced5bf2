package dev.s3music.model.memory;

import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.ThrottlePolicy;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LoginThrottle} in memory (one instance: the embedded default, tests). A flood from many addresses cannot
 * grow it without end: forgotten counts are swept once the map passes {@link #SWEEP_AT} keys.
 */
public final class InMemoryLoginThrottle implements LoginThrottle {

    private static final int SWEEP_AT = 10_000;

    private record Count(long failures, long blockedUntil, long forgetAt) {
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final ThrottlePolicy policy;
    private final Clock clock;

    public InMemoryLoginThrottle(ThrottlePolicy policy) {
        this(policy, Clock.systemUTC());
    }

    public InMemoryLoginThrottle(ThrottlePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Future<Long> retryAfter(String key) {
        long now = clock.millis();
        Count c = counts.get(key);
        return Future.succeededFuture(c == null || c.forgetAt <= now ? 0 : seconds(c.blockedUntil - now));
    }

    @Override
    public Future<Long> failed(String key) {
        long now = clock.millis();
        if (counts.size() > SWEEP_AT) {
            counts.values().removeIf(c -> c.forgetAt <= now);
        }
        Count c = counts.compute(key, (k, old) -> {
            long n = (old == null || old.forgetAt <= now ? 0 : old.failures) + 1;
            long block = policy.blockMillis(n);
            return new Count(n, block == 0 ? 0 : now + block, now + policy.keepMillis(block));
        });
        return Future.succeededFuture(seconds(c.blockedUntil - now));
    }

    @Override
    public Future<Void> reset(String key) {
        counts.remove(key);
        return Future.succeededFuture();
    }

    private static long seconds(long millis) {
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
