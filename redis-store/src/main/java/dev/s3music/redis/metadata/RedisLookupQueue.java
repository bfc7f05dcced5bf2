package dev.s3music.redis.metadata;

import dev.s3music.model.metadata.LookupJob;
import dev.s3music.model.metadata.Priority;
import dev.s3music.model.port.LookupQueue;
import io.vertx.core.Future;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.UUID;

/**
 * The durable lookup queue in Redis, a reliable queue with priorities:
 *
 * <pre>
 *   pending   ZSET  job key -> band * 1e13 + sequence   (lowest score first: priority, then arrival)
 *   payload   HASH  job key -> {"job": ..., "band": n}
 *   inflight  ZSET  job key -> lease expiry (Redis clock, ms)
 *   lease     HASH  job key -> token of the current taker
 *   seq       STRING counter
 * </pre>
 *
 * Every operation is one Lua script, so offers coalesce atomically (a job queued or running is not added twice; a
 * higher priority moves a queued job up) and a take moves the job from pending to in-flight in one step. A
 * worker that dies holding a job leaves it in flight until its lease expires; {@link #recoverExpired()} (run by
 * every worker periodically) puts it back at the head of its band. Nothing queued or running is lost.
 */
public final class RedisLookupQueue implements LookupQueue {

    private static final LuaScript OFFER = new LuaScript("queue-offer", """
        local key, band, payload = ARGV[1], tonumber(ARGV[2]), ARGV[3]
        local cur = redis.call('ZSCORE', KEYS[1], key)
        if cur then
          if band < math.floor(tonumber(cur) / 1e13) then
            local seq = redis.call('INCR', KEYS[5])
            redis.call('ZADD', KEYS[1], string.format('%.0f', band * 1e13 + seq), key)
            redis.call('HSET', KEYS[2], key, payload)
            return 2
          end
          return 0
        end
        if redis.call('ZSCORE', KEYS[3], key) then
          return 0
        end
        local seq = redis.call('INCR', KEYS[5])
        redis.call('ZADD', KEYS[1], string.format('%.0f', band * 1e13 + seq), key)
        redis.call('HSET', KEYS[2], key, payload)
        return 1
        """);

    private static final LuaScript TAKE = new LuaScript("queue-take", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 1, 10 do
          local top = redis.call('ZRANGE', KEYS[1], 0, 0)
          if #top == 0 then
            return false
          end
          local key = top[1]
          redis.call('ZREM', KEYS[1], key)
          local payload = redis.call('HGET', KEYS[2], key)
          if payload then
            redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), key)
            redis.call('HSET', KEYS[4], key, ARGV[2])
            return payload
          end
        end
        return false
        """);

    private static final LuaScript ACK = new LuaScript("queue-ack", """
        local key = ARGV[1]
        if redis.call('HGET', KEYS[4], key) ~= ARGV[2] then
          return 0
        end
        redis.call('ZREM', KEYS[3], key)
        redis.call('HDEL', KEYS[4], key)
        if not redis.call('ZSCORE', KEYS[1], key) then
          redis.call('HDEL', KEYS[2], key)
        end
        return 1
        """);

    private static final LuaScript RECOVER = new LuaScript("queue-recover", """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
        local n = 0
        for _, key in ipairs(expired) do
          redis.call('ZREM', KEYS[3], key)
          redis.call('HDEL', KEYS[4], key)
          local payload = redis.call('HGET', KEYS[2], key)
          if payload and not redis.call('ZSCORE', KEYS[1], key) then
            local band = cjson.decode(payload)['band'] or 1
            redis.call('ZADD', KEYS[1], string.format('%.0f', band * 1e13), key)
            n = n + 1
          end
        end
        return n
        """);

    private final RedisCommands redis;
    private final List<String> keys;
    private final String pendingKey;

    /** With the default deadline per command ({@link RedisCommands#DEFAULT_TIMEOUT}). */
    public RedisLookupQueue(Redis redis, String keyPrefix) {
        this(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), keyPrefix);
    }

    /** @param keyPrefix e.g. {@code s3music:metadata:}, hash-tagged ({@link RedisKeys#hashTagged}) */
    public RedisLookupQueue(RedisCommands redis, String keyPrefix) {
        this.redis = redis;
        keyPrefix = RedisKeys.hashTagged(keyPrefix);
        this.pendingKey = keyPrefix + "queue:pending";
        this.keys = List.of(pendingKey, keyPrefix + "queue:payload", keyPrefix + "queue:inflight",
            keyPrefix + "queue:lease", keyPrefix + "queue:seq");
    }

    @Override
    public Future<Offer> offer(LookupJob job, Priority priority) {
        String payload = new JsonObject().put("job", job.toJson()).put("band", priority.band()).encode();
        return redis.eval(OFFER, keys, List.of(job.key(), String.valueOf(priority.band()), payload))
            .map(r -> switch (r.toInteger()) {
                case 1 -> Offer.QUEUED;
                case 2 -> Offer.PROMOTED;
                default -> Offer.COALESCED;
            });
    }

    @Override
    public Future<Lease> take(long leaseMillis) {
        String token = UUID.randomUUID().toString();
        return redis.eval(TAKE, keys, List.of(String.valueOf(leaseMillis), token)).map(r -> {
            if (r == null) {
                return null;
            }
            JsonObject p = new JsonObject(r.toString());
            return new Lease(LookupJob.fromJson(p.getJsonObject("job")), Priority.ofBand(p.getInteger("band", 1)), token);
        });
    }

    @Override
    public Future<Void> ack(Lease lease) {
        return redis.eval(ACK, keys, List.of(lease.job().key(), lease.token())).mapEmpty();
    }

    @Override
    public Future<Integer> recoverExpired() {
        return redis.eval(RECOVER, keys, List.of()).map(Response::toInteger);
    }

    @Override
    public Future<Long> size() {
        return redis.send(Request.cmd(Command.ZCARD).arg(pendingKey)).map(Response::toLong);
    }
}
