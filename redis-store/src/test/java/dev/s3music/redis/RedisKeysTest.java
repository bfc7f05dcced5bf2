package dev.s3music.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTest {

    @Test
    void aPrefixWithoutATagBecomesTheTagSoEveryKeyOfAnAdapterSharesOneSlot() {
        assertThat(RedisKeys.hashTagged("s3music:cat:")).isEqualTo("{s3music:cat:}");
    }

    @Test
    void aPrefixWithATagIsKept() {
        assertThat(RedisKeys.hashTagged("{s3music}:cat:")).isEqualTo("{s3music}:cat:");
        assertThat(RedisKeys.hashTagged("{t1}:")).isEqualTo("{t1}:");
    }

    @Test
    void anEmptyTagIsNoTag() {
        // Redis ignores "{}": the whole key would be hashed, so the prefix is wrapped
        assertThat(RedisKeys.hashTagged("{}x:")).isEqualTo("{{}x:}");
    }
}
