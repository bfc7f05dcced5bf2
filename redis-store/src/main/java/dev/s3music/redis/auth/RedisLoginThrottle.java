package dev.s3music.redis.auth;

import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.ThrottlePolicy;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Failed sign-ins counted for the whole cluster: one hash per key under the hash-tagged prefix,
 * {@code t:<base64url(key)>} = {@code n} (failures), {@code b} (blocked until, epoch ms of the Redis clock), counted
 * and blocked in one Lua script timed by {@code TIME}, so instances with skewed clocks agree. The hash expires
 * {@link ThrottlePolicy#keepMillis} after the last failure.
 */
public final class RedisLoginThrottle implements LoginThrottle {

    private static final LuaScript FAILED = new LuaScript("throttle-failed", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local first = tonumber(ARGV[3])
        local max = tonumber(ARGV[4])
        local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
        local block = 0
        if n >= limit then
          block = math.min(max, first * math.pow(2, math.min(n - limit, 40)))
          redis.call('HSET', KEYS[1], 'b', string.format('%.0f', now + block))
        end
        redis.call('PEXPIRE', KEYS[1], math.max(window, block))
        return block
        """);

    private static final LuaScript RETRY_AFTER = new LuaScript("throttle-retry-after", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local b = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
        return math.max(0, b - now)
        """);

    private final RedisCommands redis;
    private final String prefix;
    private final ThrottlePolicy policy;

    /** @param keyPrefix e.g. {@code s3music:throttle:}; hash-tagged ({@link RedisKeys#hashTagged}) */
    public RedisLoginThrottle(RedisCommands redis, String keyPrefix, ThrottlePolicy policy) {
        this.redis = redis;
        this.prefix = RedisKeys.hashTagged(keyPrefix);
        this.policy = policy;
    }

    private String key(String k) {
        return prefix + "t:" + Base64.getUrlEncoder().withoutPadding().encodeToString(k.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Future<Long> retryAfter(String k) {
        return redis.eval(RETRY_AFTER, List.of(key(k)), List.of()).map(Response::toLong).map(RedisLoginThrottle::seconds);
    }

    @Override
    public Future<Long> failed(String k) {
        return redis.eval(FAILED, List.of(key(k)), List.of(String.valueOf(policy.limit()),
                String.valueOf(policy.window().toMillis()), String.valueOf(policy.firstBlock().toMillis()),
                String.valueOf(policy.maxBlock().toMillis())))
            .map(Response::toLong).map(RedisLoginThrottle::seconds);
    }

    @Override
    public Future<Void> reset(String k) {
        return redis.send(Request.cmd(Command.DEL).arg(key(k))).mapEmpty();
    }

    private static long seconds(long millis) {
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
