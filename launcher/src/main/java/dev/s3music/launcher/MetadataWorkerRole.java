package dev.s3music.launcher;

import dev.s3music.api.Readiness;
import dev.s3music.metadata.DiscogsWorkerVerticle;
import dev.s3music.metadata.WorkerConfig;
import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.port.LookupQueue;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisRateLimiter;
import dev.s3music.model.LibraryKeys;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The wiring of {@code ROLE=metadata-worker} (and of the worker inside {@code ROLE=all}, only with
 * {@code DISCOGS_TOKEN}): the Discogs worker with its rate limiter and lookup queue (Redis, or in memory), the
 * shared metadata cache, and its durable documents under {@link #S3_PREFIX} of the shared S3 client.
 */
final class MetadataWorkerRole {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataWorkerRole.class);
    /** The worker's durable cache prefix: the only part of the bucket the worker may list (deploy README). */
    static final String S3_PREFIX = LibraryKeys.RESERVED_PREFIX + "cache/";
    /** The rate limiter's slack for clock drift between Redis and Discogs (metadata-worker README). */
    private static final Duration LIMITER_MARGIN = Duration.ofMillis(500);
    /** Discogs counts its budget ({@code DISCOGS_RATE}) per minute. */
    private static final Duration DISCOGS_WINDOW = Duration.ofSeconds(60);

    private MetadataWorkerRole() {
    }

    /**
     * The readiness check of a process that runs only the worker: it lists its cache prefix, as its task role may
     * list nothing else (HeadBucket would be denied).
     */
    static Readiness.Check s3Check(SharedClients shared) {
        return new Readiness.Check("s3", "bucket " + shared.config().storage().bucket() + " prefix " + S3_PREFIX,
            () -> shared.store().checkPrefix(S3_PREFIX));
    }

    static void start(SharedClients shared) throws Exception {
        LauncherConfig config = shared.config();
        LauncherConfig.Discogs d = config.discogs();
        if (d.token().isEmpty() && config.role() == Role.ALL) {
            LOG.info("no DISCOGS_TOKEN: artist and album information answers 'unavailable'");
            return;
        }
        DiscogsConfig discogs = DiscogsConfig.of(d.baseUrl().toString(), d.token().orElse(null), d.rate(),
            DISCOGS_WINDOW);
        WorkerConfig cfg = WorkerConfig.defaults(discogs, d.rate(), DISCOGS_WINDOW, config.redis().cacheTtl())
            .withLease(d.lease());
        RateLimiter limiter;
        LookupQueue queue;
        if (shared.redis().isPresent()) {
            RedisCommands redis = shared.redis().get();
            limiter = new RedisRateLimiter(redis, RedisKeys.DISCOGS, d.rate(), DISCOGS_WINDOW, LIMITER_MARGIN);
            queue = new RedisLookupQueue(redis, RedisKeys.METADATA);
        } else {
            limiter = new InMemoryRateLimiter(d.rate(), DISCOGS_WINDOW, LIMITER_MARGIN);
            queue = new InMemoryLookupQueue();
        }
        WebClient web = WebClient.create(shared.vertx());
        shared.opened().push(web::close);
        // the durable Discogs cache: a Redis flush costs no Discogs calls
        Steps.await(shared.vertx().deployVerticle(DiscogsWorkerVerticle.discogs(cfg, web, limiter, queue,
                shared.metadataCache(), shared.store().documents(S3_PREFIX), shared.observability().registry())),
            "starting the metadata worker");
    }
}
