package dev.s3music.redis.reconcile;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.port.ReconcileLease;
import dev.s3music.model.port.ReconcileLeaseContractTest;
import dev.s3music.redis.RedisCommands;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.UUID;

class RedisReconcileLeaseContractTest extends ReconcileLeaseContractTest {

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

    @Override
    protected ReconcileLease newLease() {
        return new RedisReconcileLease(RedisCommands.of(redis, RedisCommands.DEFAULT_TIMEOUT),
            "t:" + UUID.randomUUID() + ":");
    }
}
