package dev.s3music.redis.catalog;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.port.Catalog;
import dev.s3music.redis.RedisCommands;
import dev.s3music.model.port.CatalogContractTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RedisCatalogContractTest extends CatalogContractTest {

    static RedisServerProcess server;
    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        server.close();
    }

    @Test
    void reloadsItsScriptsWhenRedisHasForgottenThem() {
        assertThat(await(catalog.upsert(song("A/B/1.mp3"), Catalog.Guard.event("01")))).isTrue();
        await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
        assertThat(await(catalog.upsert(song("A/B/2.mp3"), Catalog.Guard.event("01")))).isTrue();
        assertThat(await(catalog.search("a", 10)).artists()).hasSize(1);
        assertThat(await(catalog.size())).isEqualTo(2);
    }

    @Override
    protected Catalog newCatalog() {
        // a deadline with slack: the suite shares a busy machine (the stall test checks the deadline itself)
        return new RedisCatalog(RedisCommands.of(redis, Duration.ofSeconds(15)), "t:" + UUID.randomUUID() + ":");
    }
}
