package dev.s3music.redis.auth;

import dev.s3music.embedded.RedisServerProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** One redis-server, Vert.x and client shared by the auth adapters' suites of one test class. */
final class RedisAuthStores implements AutoCloseable {

    final RedisServerProcess server = RedisServerProcess.start();
    final Vertx vertx = Vertx.vertx();
    final Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));

    @Override
    public void close() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        server.close();
    }
}
