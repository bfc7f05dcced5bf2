package dev.s3music.userdata;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 plays per second across 100 users for 60 s on one instance, documents on S3Proxy (filesystem, as the
 * embedded server), the flush verticle on its real timer (PLAYS_FLUSH_EVERY = 1 minute). Prints the S3 PUTs per
 * minute against the target (at most one per active user per minute), the p99 of recording a play, and the p99 of
 * the per-user lists (most played, recently played) once each user has played up to 2,000 distinct songs.
 *
 * <pre>mvn -B -o -pl user-data -am -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dtest=PlaysBenchmarkTest verify</pre>
 */
@Tag("benchmark")
class PlaysBenchmarkTest {

    private static final int USERS = 100;
    private static final int PLAYS_PER_SECOND = 1000;
    private static final int SECONDS = 60;
    private static final int SONGS = 2000;

    @TempDir
    Path base;

    @Test
    void playsOfAHundredUsersCostAtMostOnePutPerUserPerMinute() throws Exception {
        EmbeddedS3 s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket("music");
        Vertx vertx = Vertx.vertx();
        S3ObjectStore store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, "music", s3.endpoint()));
        try {
            CountingDocumentStore counting = new CountingDocumentStore(store.documents(".s3music/"));
            StoredUserDataService service = new StoredUserDataService(vertx, counting, new InMemoryUserDataCache(),
                UserDataConfig.defaults());
            vertx.deployVerticle(new PlayFlushVerticle(service)).await(20, TimeUnit.SECONDS);
            String[] songs = new String[SONGS];
            for (int i = 0; i < SONGS; i++) {
                songs[i] = "U29uZy" + i;
            }

            int total = PLAYS_PER_SECOND * SECONDS;
            long[] latencies = new long[total];
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(total);
            long start = System.nanoTime();
            // every 10 ms, the plays due by now (catches up when a tick is late, so the rate holds on a busy machine)
            long timer = vertx.setPeriodic(10, id -> {
                long due = Math.min(total, (System.nanoTime() - start) * PLAYS_PER_SECOND / 1_000_000_000L);
                while (next.get() < due) {
                    int n = next.getAndIncrement();
                    long t = System.nanoTime();
                    service.played("user" + (n % USERS), songs[ThreadLocalRandom.current().nextInt(SONGS)], null)
                        .onComplete(ar -> {
                            latencies[n] = System.nanoTime() - t;
                            done.countDown();
                        });
                }
            });
            assertThat(done.await(SECONDS + 60, TimeUnit.SECONDS)).isTrue();
            vertx.cancelTimer(timer);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long putsDuringRun = counting.writes();
            service.flush().await(60, TimeUnit.SECONDS);
            long putsAfterFinalFlush = counting.writes();

            long[] listLatencies = new long[2000];
            for (int i = 0; i < listLatencies.length; i++) {
                long t = System.nanoTime();
                String user = "user" + (i % USERS);
                if (i % 2 == 0) {
                    service.mostPlayed(user, 0, 50).await(10, TimeUnit.SECONDS);
                } else {
                    service.recentlyPlayed(user, 0, 50).await(10, TimeUnit.SECONDS);
                }
                listLatencies[i] = System.nanoTime() - t;
            }
            long distinct = service.library("user0").await(10, TimeUnit.SECONDS).plays().size();
            long count = service.library("user0").await(10, TimeUnit.SECONDS).plays().values().stream()
                .mapToLong(p -> p.count()).sum();

            System.out.printf("%n=== plays: %d users, %d plays/s for %.1f s (%d plays) ===%n", USERS, PLAYS_PER_SECOND,
                elapsed, total);
            System.out.printf("S3 PUTs during the run: %d = %.1f per minute for %d active users (target <= %d per "
                    + "minute: at most one per active user per minute)%n", putsDuringRun,
                putsDuringRun / (elapsed / 60), USERS, USERS);
            System.out.printf("S3 PUTs with the final flush (graceful stop): %d%n", putsAfterFinalFlush);
            System.out.printf("recording a play: p50 %.1f us, p99 %.1f us, max %.1f us%n", pct(latencies, 50) / 1e3,
                pct(latencies, 99) / 1e3, pct(latencies, 100) / 1e3);
            System.out.printf("most/recently played (limit 50, %d distinct songs, %d plays per user): p50 %.2f ms, "
                    + "p99 %.2f ms%n", distinct, count, pct(listLatencies, 50) / 1e6, pct(listLatencies, 99) / 1e6);
            assertThat(count).isEqualTo(total / USERS); // every play landed
        } finally {
            vertx.close().await(20, TimeUnit.SECONDS);
            store.close();
            s3.close();
        }
    }

    static long pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = p >= 100 ? sorted.length - 1 : (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)];
    }
}
