package dev.s3music.metadata;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.redis.metadata.RedisRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget holds in every sliding window, for instances sharing one Redis and for the in-memory adapter. */
class RateLimiterTest {

    private static final int RATE = 10;
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private static RedisServerProcess redisServer;
    private static final List<Vertx> instances = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redisServer = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        instances.forEach(v -> Await.result(v.close()));
        redisServer.close();
    }

    private static Redis redis(Vertx vertx) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.uri())
            .setMaxPoolSize(4).setMaxPoolWaiting(256));
    }

    /** Callers that each take permits as fast as the limiter allows until {@code until}; grants recorded. */
    private static Future<Void> hammer(Vertx vertx, RateLimiter limiter, long untilNanos,
                                       ConcurrentLinkedQueue<Long> grants) {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> step(vertx, limiter, untilNanos, grants, done));
        return done.future();
    }

    private static void step(Vertx vertx, RateLimiter limiter, long untilNanos, ConcurrentLinkedQueue<Long> grants,
                             Promise<Void> done) {
        if (System.nanoTime() > untilNanos) {
            done.complete();
            return;
        }
        limiter.tryAcquire().onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            RateLimiter.Grant grant = ar.result();
            if (grant.granted()) {
                grants.add(System.nanoTime()); // the "call"
                limiter.completed(grant.id())
                    .onComplete(x -> step(vertx, limiter, untilNanos, grants, done));
            } else {
                vertx.setTimer(Math.min(grant.waitMillis(), 50), t -> step(vertx, limiter, untilNanos, grants, done));
            }
        });
    }

    /**
     * Grants are timed here when their reply arrives, which lags the Redis clock by a varying delay: the margin
     * (50 ms) covers it, as it covers the way to Discogs in production.
     */
    @Test
    void threeInstancesSharingRedisNeverExceedTheRateInAnyWindow() {
        ConcurrentLinkedQueue<Long> grants = new ConcurrentLinkedQueue<>();
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        List<Future<Void>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Vertx v = Vertx.vertx();
            instances.add(v);
            RateLimiter limiter = new RedisRateLimiter(redis(v), "test:a:", RATE, WINDOW, Duration.ofMillis(50));
            for (int c = 0; c < 4; c++) {
                runs.add(hammer(v, limiter, until, grants));
            }
        }
        Await.result(Future.all(runs));
        assertThat(Await.maxInAnyWindow(List.copyOf(grants), WINDOW)).isEqualTo(RATE);
        // it gives the budget, never more: the first window's burst whatever the load, and at most the 3.5 windows'
        // worth (how much of the budget a starved machine manages to take is a throughput figure: MetadataBenchmark
        // prints budget use; under a load of 12-14 on 2 cores these 12 callers took 26 of 35)
        assertThat(grants.size()).isBetween(RATE, RATE * 5);
    }

    @Test
    void aPauseHoldsEveryInstance() {
        Vertx a = Vertx.vertx();
        Vertx b = Vertx.vertx();
        instances.add(a);
        instances.add(b);
        RateLimiter la = new RedisRateLimiter(redis(a), "test:b:", RATE, WINDOW, Duration.ZERO);
        RateLimiter lb = new RedisRateLimiter(redis(b), "test:b:", RATE, WINDOW, Duration.ZERO);
        Await.result(la.pause(800));
        Await.result(la.pause(100)); // a shorter pause does not shorten it
        assertThat(Await.result(lb.tryAcquire()).waitMillis()).isBetween(600L, 800L);
    }

    @Test
    void inMemoryLimiterKeepsTheSameWindow() {
        long[] now = {0};
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(3, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ZERO, () -> now[0]);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RateLimiter.Grant g = Await.result(limiter.tryAcquire());
            assertThat(g.granted()).isTrue();
            ids.add(g.id());
        }
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(1101L);
        now[0] = 1099;
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(2L);
        now[0] = 1100; // a grant at t counts in [t, t + window + margin)
        for (int i = 0; i < 3; i++) {
            assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue();
        }
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(1101L);
    }

    @Test
    void pacedGrantsAreSpreadOverTheWindow() {
        long[] now = {0};
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(4, Duration.ofSeconds(1), Duration.ZERO,
            Duration.ofMillis(250), () -> now[0]);
        // one spacing of tolerance: two at once, then one per 250 ms
        assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue();
        assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue();
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(250L);
        now[0] = 250;
        assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue();
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(250L);
        now[0] = 600; // late: the slot is not lost
        assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue();
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(150L);
    }

    @Test
    void aSlowCallCountsFromWhenItEnded() {
        long[] now = {0};
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(2, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, () -> now[0]);
        String slow = Await.result(limiter.tryAcquire()).id();
        Await.result(limiter.tryAcquire());
        now[0] = 400; // the slow call ends: it may have reached the provider just now
        Await.result(limiter.completed(slow));
        now[0] = 1000;
        assertThat(Await.result(limiter.tryAcquire()).granted()).isTrue(); // the fast one's place
        assertThat(Await.result(limiter.tryAcquire()).waitMillis()).isEqualTo(401L);
    }
}
