package dev.s3music.redis.user;

import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.redis.LuaScript;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;

/**
 * The user-data cache in Redis, shared by every API instance. One hash per document under the hash-tagged prefix
 * (e.g. {@code {s3music:user:}d:users/<user>/library.json}): {@code r} (rev), {@code v} (store version, empty when
 * the store has no such document), {@code d} (the JSON, empty when none). An entry expires {@link #DEFAULT_TTL}
 * after its last offer: the cache holds what is in use, and anything it lost is read from S3 again.
 *
 * <p>An offer is one Lua script: it writes only when the cached rev is lower (or there is none), so of two instances
 * that wrote one document, and of a reader filling a miss with an older read, the newest stays.
 */
public final class RedisUserDataCache implements UserDataCache {

    /** A week: a listener's documents stay warm between weekly lessons. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);

    private static final LuaScript OFFER = new LuaScript("user-data-offer", """
        local r = redis.call('HGET', KEYS[1], 'r')
        if r and tonumber(r) >= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('HSET', KEYS[1], 'r', ARGV[1], 'v', ARGV[2], 'd', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """);

    private final RedisCommands redis;
    private final String prefix;
    private final long ttlMillis;

    /** @param keyPrefix e.g. {@code s3music:user:}; hash-tagged ({@link RedisKeys#hashTagged}) */
    public RedisUserDataCache(RedisCommands redis, String keyPrefix, Duration ttl) {
        this.redis = redis;
        this.prefix = RedisKeys.hashTagged(keyPrefix);
        this.ttlMillis = ttl.toMillis();
    }

    public RedisUserDataCache(RedisCommands redis, String keyPrefix) {
        this(redis, keyPrefix, DEFAULT_TTL);
    }

    private String key(String documentKey) {
        return prefix + "d:" + documentKey;
    }

    @Override
    public Future<CachedDocument> get(String documentKey) {
        return redis.send(Request.cmd(Command.HMGET).arg(key(documentKey)).arg("r").arg("v").arg("d")).map(r -> {
            Response rev = r == null ? null : r.get(0);
            if (rev == null) {
                return null;
            }
            String version = r.get(1) == null ? "" : r.get(1).toString();
            String doc = r.get(2) == null ? "" : r.get(2).toString();
            return doc.isEmpty() ? CachedDocument.absent(rev.toLong())
                : new CachedDocument(new JsonObject(doc), version, rev.toLong());
        });
    }

    @Override
    public Future<Void> offer(String documentKey, CachedDocument entry) {
        return redis.eval(OFFER, List.of(key(documentKey)), List.of(String.valueOf(entry.rev()),
                entry.exists() ? entry.version() : "", entry.exists() ? entry.document().encode() : "",
                String.valueOf(ttlMillis)))
            .mapEmpty();
    }
}
