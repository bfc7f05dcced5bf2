package dev.s3music.metadata;

import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.redis.metadata.RedisRateLimiter;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;

/**
 * Builds worker instances for tests the way a composition root does: one Vert.x (a process), its Redis and web
 * clients, Redis adapters under one key prefix, and the worker verticle.
 */
final class Workers {

    /** A budget small enough for quick tests: 10 calls per second. */
    static final int RATE = 10;
    static final Duration WINDOW = Duration.ofSeconds(1);
    /** Covers the way from a grant to the fake's clock (loopback, a loaded 2-core machine). */
    static final Duration MARGIN = Duration.ofMillis(100);

    private Workers() {
    }

    static Redis redis(Vertx vertx, String uri) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(uri).setMaxPoolSize(8)
            .setMaxPoolWaiting(1024));
    }

    static WorkerConfig config(String discogsUrl, String token, Duration lease) {
        DiscogsConfig d = DiscogsConfig.of(discogsUrl, token, RATE, WINDOW)
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400)).withLowRemaining(-1)
            .withTimeout(Duration.ofSeconds(5));
        return WorkerConfig.defaults(d, RATE, WINDOW, Duration.ofDays(30)).withLease(lease)
            .withPolling(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    /** Deploys {@code instances} workers on this Vert.x, sharing Redis under {@code prefix}. */
    static Future<String> deploy(Vertx vertx, String redisUri, String prefix, WorkerConfig cfg, DocumentStore docs,
                                 int instances) {
        try {
            Codecs.registerAll(vertx.eventBus());
        } catch (IllegalStateException alreadyRegistered) {
            // a second deployment on the same Vert.x
        }
        Redis redis = redis(vertx, redisUri);
        WebClient web = WebClient.create(vertx);
        RedisRateLimiter limiter = new RedisRateLimiter(redis, prefix, RATE, WINDOW, MARGIN);
        RedisLookupQueue queue = new RedisLookupQueue(redis, prefix);
        RedisMetadataCache cache = new RedisMetadataCache(redis, prefix);
        return vertx.deployVerticle(() -> DiscogsWorkerVerticle.discogs(cfg, web, limiter, queue, cache, docs),
            new DeploymentOptions().setInstances(instances));
    }
}
