package dev.s3music.redis.auth;

import dev.s3music.model.auth.Session;
import dev.s3music.model.auth.SessionStore;
import dev.s3music.model.auth.SessionStoreContractTest;
import dev.s3music.redis.RedisCommands;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSessionStoreContractTest extends SessionStoreContractTest {

    static RedisAuthStores redis;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = new RedisAuthStores();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected SessionStore newStore() {
        prefix = "t:" + UUID.randomUUID() + ":";
        return new RedisSessionStore(RedisCommands.of(redis.redis, RedisCommands.DEFAULT_TIMEOUT), prefix);
    }

    @Test
    void aSessionExpiresInRedisWhenItEnds() {
        Session s = session("dora");
        await(store.put(s));
        long ttl = await(redis.redis.send(Request.cmd(Command.PTTL).arg("{" + prefix + "}s:" + s.tokenHash()))).toLong();
        long expected = s.endsAt().toEpochMilli() - System.currentTimeMillis();
        assertThat(ttl).isBetween(expected - 60_000, expected + 1_000);
    }
}
