package dev.s3music.redis.user;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.user.CachedDocument;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.model.user.UserDataCacheContractTest;
import dev.s3music.redis.RedisCommands;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUserDataCacheContractTest extends UserDataCacheContractTest {

    static RedisServerProcess server;
    static Vertx vertx;
    static Redis redis;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4)
            .setMaxPoolWaiting(1000));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        await(vertx.close());
        server.close();
    }

    @Override
    protected UserDataCache newCache() {
        prefix = "t:" + UUID.randomUUID() + ":";
        return new RedisUserDataCache(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT), prefix,
            Duration.ofHours(1));
    }

    @Test
    void anEntryExpiresAfterItsTimeToLive() {
        await(cache.offer("users/u/plays.json", new CachedDocument(new JsonObject(), "v", 1)));
        long ttl = await(redis.send(Request.cmd(Command.PTTL).arg("{" + prefix + "}d:users/u/plays.json"))).toLong();
        assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }
}
