package dev.s3music.redis.reconcile;

import dev.s3music.model.port.ReconcileLease;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The reconcile lease in Redis, shared by every indexer of the cluster. Keys under {@code prefix} (hash-tagged):
 * <pre>
 *   lease   string  the holder's run id, with the lease's time to live (SET NX PX: expires if the holder dies)
 *   status  string  the status JSON of the current or last run (no expiry: the last run stays visible)
 * </pre>
 * Renew and release compare the holder and act in one script, so a holder whose lease expired and was taken by
 * another never extends or deletes the new holder's lease. Failures come out of {@link RedisCommands} as
 * TRANSIENT domain errors.
 */
public final class RedisReconcileLease implements ReconcileLease {

    private static final LuaScript RENEW = new LuaScript("lease-renew", """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """);
    private static final LuaScript RELEASE = new LuaScript("lease-release", """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """);

    private final RedisCommands redis;
    private final String lease;
    private final String status;

    /** @param prefix namespace of the keys, e.g. {@code "s3music:reconcile:"}; hash-tagged when it holds no tag */
    public RedisReconcileLease(RedisCommands redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        String p = RedisKeys.hashTagged(Objects.requireNonNull(prefix, "prefix"));
        this.lease = p + "lease";
        this.status = p + "status";
    }

    @Override
    public Future<Boolean> acquire(String holder, Duration ttl) {
        return redis.send(Request.cmd(Command.SET).arg(lease).arg(holder).arg("NX").arg("PX").arg(millis(ttl)))
            .map(r -> r != null && "OK".equals(r.toString()));
    }

    @Override
    public Future<Boolean> renew(String holder, Duration ttl) {
        return redis.eval(RENEW, List.of(lease), List.of(holder, String.valueOf(millis(ttl))))
            .map(r -> r.toLong() == 1);
    }

    @Override
    public Future<Void> release(String holder) {
        return redis.eval(RELEASE, List.of(lease), List.of(holder)).mapEmpty();
    }

    @Override
    public Future<String> holder() {
        return redis.send(Request.cmd(Command.GET).arg(lease)).map(r -> r == null ? null : r.toString());
    }

    @Override
    public Future<Void> publishStatus(String statusJson) {
        return redis.send(Request.cmd(Command.SET).arg(status).arg(statusJson)).mapEmpty();
    }

    @Override
    public Future<String> status() {
        return redis.send(Request.cmd(Command.GET).arg(status)).map(r -> r == null ? null : r.toString());
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }
}
