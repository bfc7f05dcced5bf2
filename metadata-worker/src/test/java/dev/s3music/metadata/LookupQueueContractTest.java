package dev.s3music.metadata;

import dev.s3music.model.metadata.Priority;
import dev.s3music.model.metadata.LookupJob;
import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.model.port.LookupQueue;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.model.MetadataRef;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The same contract for the Redis queue (against a real redis-server) and the in-memory one. */
class LookupQueueContractTest {

    private static RedisServerProcess redisServer;
    private static Vertx vertx;
    private static Redis redis;

    @BeforeAll
    static void start() {
        redisServer = RedisServerProcess.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, redisServer.uri());
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
        redisServer.close();
    }

    private static Supplier<LookupQueue> factory(String kind) {
        return kind.equals("redis") ? () -> new RedisLookupQueue(redis, "test:" + UUID.randomUUID() + ":")
            : InMemoryLookupQueue::new;
    }

    private static LookupJob job(String name) {
        return LookupJob.of(MetadataRef.artist("id-" + name, name));
    }

    private static String take(LookupQueue q) {
        LookupQueue.Lease l = Await.result(q.take(60_000));
        if (l == null) {
            return null;
        }
        Await.result(q.ack(l));
        return l.job().ref().artist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void userLookupsJumpAheadOfWarmUpAndRefresh(String kind) {
        LookupQueue q = factory(kind).get();
        Await.result(q.offer(job("r1"), Priority.REFRESH));
        for (int i = 0; i < 500; i++) {
            Await.result(q.offer(job("w" + i), Priority.WARM));
        }
        Await.result(q.offer(job("user"), Priority.USER));
        assertThat(Await.result(q.size())).isEqualTo(502L);
        assertThat(take(q)).isEqualTo("user");
        assertThat(take(q)).isEqualTo("w0");
        assertThat(take(q)).isEqualTo("w1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void duplicatesCoalesceAndAHigherPriorityPromotes(String kind) {
        LookupQueue q = factory(kind).get();
        assertThat(Await.result(q.offer(job("a"), Priority.WARM))).isEqualTo(LookupQueue.Offer.QUEUED);
        assertThat(Await.result(q.offer(job("b"), Priority.WARM))).isEqualTo(LookupQueue.Offer.QUEUED);
        assertThat(Await.result(q.offer(job("b"), Priority.WARM))).isEqualTo(LookupQueue.Offer.COALESCED);
        assertThat(Await.result(q.offer(job("b"), Priority.REFRESH))).isEqualTo(LookupQueue.Offer.COALESCED);
        assertThat(Await.result(q.offer(job("b"), Priority.USER))).isEqualTo(LookupQueue.Offer.PROMOTED);
        assertThat(Await.result(q.size())).isEqualTo(2L);
        assertThat(take(q)).isEqualTo("b");
        assertThat(take(q)).isEqualTo("a");
        assertThat(take(q)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void aRunningJobIsNotQueuedTwice(String kind) {
        LookupQueue q = factory(kind).get();
        Await.result(q.offer(job("a"), Priority.WARM));
        LookupQueue.Lease lease = Await.result(q.take(60_000));
        assertThat(Await.result(q.offer(job("a"), Priority.USER))).isEqualTo(LookupQueue.Offer.COALESCED);
        Await.result(q.ack(lease));
        assertThat(Await.result(q.offer(job("a"), Priority.USER))).isEqualTo(LookupQueue.Offer.QUEUED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void aJobOfADeadWorkerComesBackFirstInItsBandAfterItsLease(String kind) {
        LookupQueue q = factory(kind).get();
        Await.result(q.offer(job("a"), Priority.WARM));
        Await.result(q.offer(job("b"), Priority.WARM));
        LookupQueue.Lease dead = Await.result(q.take(200)); // taken by a worker that dies: never acked
        assertThat(dead.job().ref().artist()).isEqualTo("a");
        assertThat(Await.result(q.recoverExpired())).isZero();
        Await.until("lease expiry", Duration.ofSeconds(5), () -> Await.result(q.recoverExpired()) == 1);
        assertThat(take(q)).isEqualTo("a");
        // the dead worker's late ack does not disturb the new owner
        Await.result(q.offer(job("a"), Priority.WARM));
        LookupQueue.Lease owner = Await.result(q.take(60_000));
        assertThat(owner.job().ref().artist()).isEqualTo("b");
        Await.result(q.ack(dead));
        assertThat(take(q)).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "memory"})
    void jobsKeepTheirTrackAndAttempts(String kind) {
        LookupQueue q = factory(kind).get();
        LookupJob j = new LookupJob(new MetadataRef(MetadataRef.Kind.SONG, "s1", "A", "B", "T"), 3, 1, 2);
        Await.result(q.offer(j, Priority.USER));
        LookupQueue.Lease l = Await.result(q.take(1000));
        assertThat(l.job()).isEqualTo(j);
        assertThat(l.priority()).isEqualTo(Priority.USER);
    }
}
