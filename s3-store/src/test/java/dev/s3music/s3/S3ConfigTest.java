package dev.s3music.s3;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ConfigTest {

    @Test
    void acceptsAwsWithDefaultCredentials() {
        S3Config c = S3Config.of("my-music", "eu-west-1", null, false, null, "");
        assertThat(c.endpoint()).isNull();
        assertThat(c.staticCredentials()).isFalse();
        assertThat(c.secretKey()).isNull();
    }

    @Test
    void defaultsRegionForCompatibleServers() {
        S3Config c = S3Config.of("music", " ", "http://127.0.0.1:9000", true, "a", "s");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void rejectsBadBucketNames() {
        for (String b : new String[] {null, "", "ab", "Music", "my_bucket", "-music", "a..b", "x".repeat(64)}) {
            assertThatThrownBy(() -> S3Config.of(b, "us-east-1", null, false, null, null))
                .as(String.valueOf(b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
        }
    }

    @Test
    void rejectsEndpointsThatAreNotHttpUrls() {
        for (String e : new String[] {"ftp://host", "127.0.0.1:9000", "http://", "http://h/path", "http://h:1/a b"}) {
            assertThatThrownBy(() -> S3Config.of("music", "us-east-1", e, true, null, null))
                .as(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        }
    }

    @Test
    void requiresBothKeysOrNeither() {
        assertThatThrownBy(() -> S3Config.of("music", "us-east-1", null, false, "access", null))
            .hasMessageContaining("secret key");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(S3Config.of("music", null, null, false, "AKIA", "very-secret").toString())
            .contains("AKIA").doesNotContain("very-secret");
    }
}
