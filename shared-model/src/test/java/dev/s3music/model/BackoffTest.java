package dev.s3music.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void staysInTheUpperHalfOfTheDoubledDelayUnderTheCap() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(Backoff.jittered(100, 1_000, 0)).isBetween(50L, 100L);
            assertThat(Backoff.jittered(100, 1_000, 2)).isBetween(200L, 400L);
            assertThat(Backoff.jittered(100, 1_000, 9)).isBetween(500L, 1_000L);
            assertThat(Backoff.jittered(100, 1_000, Integer.MAX_VALUE)).isBetween(500L, 1_000L);
            assertThat(Backoff.jittered(0, 0, 3)).isBetween(0L, 1L);
        }
    }
}
