package dev.s3music.model.auth;

import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every login throttle shares; run against the in-memory and the Redis throttle, with the default
 * policy (5 failures, then 60 s doubling, at most 1 h). Blocks are checked within a few seconds of slack, the time
 * a busy machine may take between two calls.
 */
public abstract class LoginThrottleContractTest {

    protected LoginThrottle throttle;

    protected abstract LoginThrottle newThrottle(ThrottlePolicy policy);

    @BeforeEach
    protected void setUpThrottle() {
        throttle = newThrottle(ThrottlePolicy.DEFAULT);
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static String key() {
        return "user:" + UUID.randomUUID();
    }

    @Test
    public void allowsFourFailuresThenBlocksForAMinuteAtTheFifth() {
        String k = key();
        assertThat(await(throttle.retryAfter(k))).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(await(throttle.failed(k))).isZero();
        }
        assertThat(await(throttle.retryAfter(k))).isZero();
        assertThat(await(throttle.failed(k))).isBetween(55L, 60L);
        assertThat(await(throttle.retryAfter(k))).isBetween(55L, 60L);
    }

    @Test
    public void doublesTheBlockWithEveryFurtherFailureUpToTheMaximum() {
        String k = key();
        for (int i = 0; i < 4; i++) {
            await(throttle.failed(k));
        }
        long[] expected = {60, 120, 240, 480, 960, 1920, 3600, 3600};
        for (long e : expected) {
            assertThat(await(throttle.failed(k))).isBetween(e - 5, e);
        }
        assertThat(await(throttle.retryAfter(k))).isBetween(3595L, 3600L);
    }

    @Test
    public void countsEachKeyApartAndResetForgetsTheFailures() {
        String a = key();
        String b = key();
        for (int i = 0; i < 5; i++) {
            await(throttle.failed(a));
        }
        assertThat(await(throttle.retryAfter(a))).isPositive();
        assertThat(await(throttle.retryAfter(b))).isZero();
        await(throttle.reset(a));
        assertThat(await(throttle.retryAfter(a))).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(await(throttle.failed(a))).isZero();
        }
    }

    @Test
    public void aShortPolicyEndsTheBlockAndForgetsTheCountAfterItsWindow() throws InterruptedException {
        ThrottlePolicy quick = new ThrottlePolicy(2, Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofSeconds(1));
        LoginThrottle t = newThrottle(quick);
        String k = key();
        assertThat(await(t.failed(k))).isZero();
        assertThat(await(t.failed(k))).isEqualTo(1L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (await(t.retryAfter(k)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(await(t.retryAfter(k))).isZero();
        Thread.sleep(400);
        assertThat(await(t.failed(k))).as("the count was forgotten after the window").isZero();
    }
}
