package dev.s3music.redis.auth;

import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.LoginThrottleContractTest;
import dev.s3music.model.auth.ThrottlePolicy;
import dev.s3music.redis.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RedisLoginThrottleContractTest extends LoginThrottleContractTest {

    static RedisAuthStores redis;
    private final String prefix = "t:" + UUID.randomUUID() + ":";

    @BeforeAll
    static void startRedis() {
        redis = new RedisAuthStores();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected LoginThrottle newThrottle(ThrottlePolicy policy) {
        return new RedisLoginThrottle(RedisCommands.of(redis.redis, RedisCommands.DEFAULT_TIMEOUT), prefix, policy);
    }

    @Test
    void failuresCountedThroughTwoAdaptersAddUp() {
        LoginThrottle other = newThrottle(ThrottlePolicy.DEFAULT);
        String k = key();
        for (int i = 0; i < 2; i++) {
            assertThat(await(throttle.failed(k))).isZero();
            assertThat(await(other.failed(k))).isZero();
        }
        assertThat(await(other.failed(k))).isPositive();
        assertThat(await(throttle.retryAfter(k))).isPositive();
    }
}
