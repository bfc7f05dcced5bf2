package dev.s3music.launcher;

import dev.s3music.api.Readiness;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Vertx;
import dev.s3music.redis.RedisCommands;

import java.util.List;
import java.util.Optional;

/**
 * What every role of one process shares: its Vert.x, its one S3 client, its one Redis client (when
 * {@code USE_REDIS=true}), the metadata cache (written by the worker, read by the API), the meters, the resources
 * to close at stop, and the readiness checks the roles add to.
 *
 * @param redis  the process's Redis client (every command under {@code REDIS_TIMEOUT}), empty with the in-memory adapters
 * @param checks readiness checks; each role adds its own before {@link Readiness} is built
 */
record SharedClients(LauncherConfig config, Vertx vertx, Observability observability, S3ObjectStore store,
                     Optional<RedisCommands> redis, MetadataCache metadataCache, Opened opened, List<Readiness.Check> checks) {
}
