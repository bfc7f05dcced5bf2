package dev.s3music.redis.metadata;

import dev.s3music.model.port.RateLimiter;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The cluster-wide budget in Redis: a sliding-window log in a sorted set, checked and taken in one Lua script
 * (atomic across every instance), timed by the Redis server clock so instances with skewed clocks agree.
 *
 * <p>Invariant: the set never holds more than {@code rate} grants younger than {@code window + margin}. When a
 * call ends, its grant is re-stamped with that moment ({@link #completed}), the latest time Discogs can have
 * received it: a call slowed on its way (a cold connection, a GC pause) then keeps its place in the window as
 * Discogs counts it, and later grants wait for it. This holds as long as a call ends within the window, which
 * the request timeout guarantees (10 s against 60 s). The margin covers the rest (the clocks of Discogs and Redis
 * advancing apart). A sliding log is exact for "any window", which a fixed-window counter is not, and at 60 per
 * minute its size is trivial.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final LuaScript ACQUIRE = new LuaScript("ratelimit-acquire", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local spacing = tonumber(ARGV[4])
        local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
        if pausedUntil > now then
          return pausedUntil - now
        end
        local tat = math.max(now, tonumber(redis.call('GET', KEYS[3]) or '0'))
        if tat - now > spacing then
          return tat - now - spacing
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < limit then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window + 1000)
          redis.call('SET', KEYS[3], string.format('%.0f', tat + spacing), 'PX', window + 1000)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now + 1)
        """);

    private static final LuaScript COMPLETED = new LuaScript("ratelimit-completed", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
          redis.call('ZADD', KEYS[1], 'XX', now, ARGV[2])
          redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
        end
        return 0
        """);

    private static final LuaScript PAUSE = new LuaScript("ratelimit-pause", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local untilMs = now + tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if untilMs > current then
          redis.call('SET', KEYS[1], string.format('%.0f', untilMs), 'PX', tonumber(ARGV[1]) + 1000)
        end
        return 0
        """);

    private final RedisCommands redis;
    private final String grantsKey;
    private final String pauseKey;
    private final String lastKey;
    private final int rate;
    private final long windowMillis;
    private final long spacingMillis;

    /** Paced: one grant per {@code window / rate} at most, see {@link #RedisRateLimiter(Redis, String, int, Duration, Duration, Duration)}. */
    public RedisRateLimiter(Redis redis, String keyPrefix, int rate, Duration window, Duration margin) {
        this(redis, keyPrefix, rate, window, margin, window.dividedBy(Math.max(1, rate)));
    }

    /** Paced, with the deadline of {@code redis}. */
    public RedisRateLimiter(RedisCommands redis, String keyPrefix, int rate, Duration window, Duration margin) {
        this(redis, keyPrefix, rate, window, margin, window.dividedBy(Math.max(1, rate)));
    }

    /**
     * @param keyPrefix e.g. {@code s3music:discogs:} (one budget per prefix)
     * @param rate      grants per window ({@code DISCOGS_RATE})
     * @param window    the window (60 s for Discogs)
     * @param margin    added to the window, see the class comment
     * @param spacing   pacing (GCRA): one grant per {@code spacing} on average, with a tolerance of one spacing so
     *                  a worker waking late does not lose its slot. {@code window / rate} spreads calls evenly, so
     *                  a user lookup waits about one slot (1 s at 60 per minute), never for a burst's window to
     *                  slide by; zero allows bursts of {@code rate}. The sliding log caps every window either way.
     */
    public RedisRateLimiter(Redis redis, String keyPrefix, int rate, Duration window, Duration margin,
                            Duration spacing) {
        this(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), keyPrefix, rate, window, margin, spacing);
    }

    /** As above, with the deadline of {@code redis}; the prefix is hash-tagged ({@link RedisKeys#hashTagged}). */
    public RedisRateLimiter(RedisCommands redis, String keyPrefix, int rate, Duration window, Duration margin,
                            Duration spacing) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1, was " + rate);
        }
        this.redis = redis;
        keyPrefix = RedisKeys.hashTagged(keyPrefix);
        this.grantsKey = keyPrefix + "ratelimit:grants";
        this.pauseKey = keyPrefix + "ratelimit:pause";
        this.lastKey = keyPrefix + "ratelimit:last";
        this.rate = rate;
        this.windowMillis = window.plus(margin).toMillis();
        this.spacingMillis = spacing.toMillis();
    }

    @Override
    public Future<Grant> tryAcquire() {
        String id = UUID.randomUUID().toString();
        return redis.eval(ACQUIRE, List.of(grantsKey, pauseKey, lastKey),
                List.of(String.valueOf(windowMillis), String.valueOf(rate), id, String.valueOf(spacingMillis)))
            .map(Response::toLong)
            .map(wait -> wait == 0 ? new Grant(id, 0) : new Grant(null, wait));
    }

    @Override
    public Future<Void> completed(String grantId) {
        return redis.eval(COMPLETED, List.of(grantsKey), List.of(String.valueOf(windowMillis), grantId)).mapEmpty();
    }

    @Override
    public Future<Void> pause(long millis) {
        if (millis <= 0) {
            return Future.succeededFuture();
        }
        return redis.eval(PAUSE, List.of(pauseKey), List.of(String.valueOf(millis))).mapEmpty();
    }
}
