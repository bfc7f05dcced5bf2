package dev.s3music.redis.metadata;

import dev.s3music.model.metadata.CacheEntry;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Metadata entries in Redis: one string per entry with its TTL ({@code CACHE_TTL}, shorter for not-found), and a
 * sorted set of fetch times for the daily refresh (oldest first). Keys of expired entries left in that set are
 * dropped when the refresh reads them.
 */
public final class RedisMetadataCache implements MetadataCache {

    private final RedisCommands redis;
    private final String prefix;
    private final String fetchedKey;

    /** With the default deadline per command ({@link RedisCommands#DEFAULT_TIMEOUT}). */
    public RedisMetadataCache(Redis redis, String keyPrefix) {
        this(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), keyPrefix);
    }

    /** @param keyPrefix e.g. {@code s3music:metadata:}, hash-tagged ({@link RedisKeys#hashTagged}) */
    public RedisMetadataCache(RedisCommands redis, String keyPrefix) {
        this.redis = redis;
        keyPrefix = RedisKeys.hashTagged(keyPrefix);
        this.prefix = keyPrefix + "entry:";
        this.fetchedKey = keyPrefix + "fetched";
    }

    @Override
    public Future<CacheEntry> get(String key) {
        return redis.send(Request.cmd(Command.GET).arg(prefix + key))
            .map(r -> r == null ? null : CacheEntry.fromJson(new JsonObject(r.toString())));
    }

    @Override
    public Future<Void> put(String key, CacheEntry entry, Duration ttl) {
        return redis.batch(List.of(
                Request.cmd(Command.SET).arg(prefix + key).arg(entry.toJson().encode()).arg("PX")
                    .arg(Math.max(1, ttl.toMillis())),
                Request.cmd(Command.ZADD).arg(fetchedKey).arg(entry.fetchedAtMillis()).arg(key)))
            .mapEmpty();
    }

    @Override
    public Future<List<String>> oldest(long fetchedBeforeMillis, int limit) {
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(fetchedKey).arg("-inf")
                .arg("(" + fetchedBeforeMillis).arg("LIMIT").arg(0).arg(limit))
            .map(r -> {
                List<String> out = new ArrayList<>();
                if (r != null) {
                    for (Response k : r) {
                        out.add(k.toString());
                    }
                }
                return out;
            });
    }

    @Override
    public Future<Void> forget(String key) {
        return redis.send(Request.cmd(Command.ZREM).arg(fetchedKey).arg(key)).mapEmpty();
    }
}
