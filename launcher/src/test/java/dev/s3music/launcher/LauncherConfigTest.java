package dev.s3music.launcher;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherConfigTest {

    @Test
    void emptyEnvironmentGivesTheEmbeddedDefaults() {
        LauncherConfig c = LauncherConfig.fromEnv(Map.of());

        assertThat(c.role()).isEqualTo(Role.ALL);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.storage().embedded()).isTrue();
        assertThat(c.storage().musicDir()).isEqualTo(Path.of("music").toAbsolutePath());
        assertThat(c.storage().bucket()).isEqualTo("music");
        assertThat(c.storage().region()).isEqualTo("us-east-1");
        assertThat(c.storage().s3Port()).isEqualTo(9000);
        assertThat(c.storage().s3PortExplicit()).isFalse();
        assertThat(c.storage().demoLibrary()).isTrue();
        assertThat(c.sqs().queueUrl()).isEmpty();
        assertThat(c.redis().enabled()).isFalse();
        assertThat(c.redis().cacheTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.discogs().token()).isEmpty();
        assertThat(c.discogs().baseUrl()).isEqualTo(URI.create("https://api.discogs.com"));
    }

    @Test
    void bucketSelectsRealS3WithTheEndpointAndRegionGiven() {
        LauncherConfig c = LauncherConfig.fromEnv(Map.of("S3_BUCKET", "my-music", "AWS_REGION", "eu-west-1",
            "AWS_ENDPOINT_URL", "http://127.0.0.1:9999", "CACHE_TTL", "12h", "USE_REDIS", "true",
            "REDIS_URL", "redis://cache:6379", "DISCOGS_TOKEN", " tok "));

        assertThat(c.storage().embedded()).isFalse();
        assertThat(c.storage().bucket()).isEqualTo("my-music");
        assertThat(c.storage().region()).isEqualTo("eu-west-1");
        assertThat(c.storage().endpoint()).contains(URI.create("http://127.0.0.1:9999"));
        assertThat(c.redis().enabled()).isTrue();
        assertThat(c.redis().url()).isEqualTo(URI.create("redis://cache:6379"));
        assertThat(c.redis().cacheTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(c.discogs().token()).contains("tok");
    }

    @Test
    void emptyValuesCountAsUnset() {
        LauncherConfig c = LauncherConfig.fromEnv(Map.of("HTTP_PORT", "", "S3_BUCKET", " "));

        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.storage().embedded()).isTrue();
    }

    @Test
    void badValuesFailNamingTheVariable() {
        Map<String, Map<String, String>> bad = Map.of(
            "HTTP_PORT", Map.of("HTTP_PORT", "80a"),
            "S3_PORT", Map.of("S3_PORT", "70000"),
            "USE_REDIS", Map.of("USE_REDIS", "maybe"),
            "CACHE_TTL", Map.of("CACHE_TTL", "-5m"),
            "S3_BUCKET", Map.of("S3_BUCKET", "My_Bucket", "AWS_REGION", "eu-west-1"),
            "AWS_REGION", Map.of("S3_BUCKET", "music-bucket"),
            "AWS_ENDPOINT_URL", Map.of("AWS_ENDPOINT_URL", "http://localhost:9000"),
            "REDIS_URL", Map.of("REDIS_URL", "http://cache"),
            "DISCOGS_URL", Map.of("DISCOGS_URL", "not a url"),
            "ROLE", Map.of("ROLE", "everything"));
        bad.forEach((variable, env) -> assertThatThrownBy(() -> LauncherConfig.fromEnv(env))
            .as(variable)
            .isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.variable()).isEqualTo(variable);
                assertThat(e.getMessage()).startsWith(variable + ":");
            }));
    }

    @Test
    void explicitPortZeroMeansAFreePort() {
        LauncherConfig c = LauncherConfig.fromEnv(Map.of("HTTP_PORT", "0", "S3_PORT", "0"));

        assertThat(c.http().port()).isZero();
        assertThat(c.storage().s3Port()).isZero();
        assertThat(c.storage().s3PortExplicit()).isTrue();
    }

    @Test
    void rolesParseFromTheirNames() {
        assertThat(LauncherConfig.fromEnv(Map.of("ROLE", "metadata-worker")).role()).isEqualTo(Role.METADATA_WORKER);
        assertThat(LauncherConfig.fromEnv(Map.of("ROLE", "API")).role()).isEqualTo(Role.API);
    }
}
