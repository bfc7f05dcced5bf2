package dev.s3music.launcher;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    void redisTimeoutDefaultsToTwoSecondsAndIsAPositiveDuration() {
        assertThat(LauncherConfig.fromEnv(Map.of()).redis().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(LauncherConfig.fromEnv(Map.of("REDIS_TIMEOUT", "500ms")).redis().timeout())
            .isEqualTo(Duration.ofMillis(500));
        for (String bad : new String[]{"-1s", "0s", "soon"}) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("REDIS_TIMEOUT", bad))).as(bad)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("REDIS_TIMEOUT"));
        }
    }

    @Test
    void streamModeDefaultsToProxyAndLinksToFiveMinutes() {
        LauncherConfig.Streaming d = LauncherConfig.fromEnv(Map.of()).streaming();
        assertThat(d.mode()).isEqualTo(dev.s3music.api.StreamMode.PROXY);
        assertThat(d.linkTtl()).isEqualTo(Duration.ofMinutes(5));
        LauncherConfig.Streaming r = LauncherConfig.fromEnv(Map.of("STREAM_MODE", "Redirect", "STREAM_LINK_TTL", "30s"))
            .streaming();
        assertThat(r.mode()).isEqualTo(dev.s3music.api.StreamMode.REDIRECT);
        assertThat(r.linkTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("STREAM_MODE", "direct")))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("STREAM_MODE"));
        assertThat(d.prices()).isEqualTo(dev.s3music.api.cost.S3Prices.DEFAULTS);
        assertThat(LauncherConfig.fromEnv(Map.of("S3_PRICES", "storage=0.02")).streaming().prices().storagePerGbMonth())
            .isEqualTo(0.02);
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("S3_PRICES", "egress=0.09")))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("S3_PRICES"));
        assertThat(d.cloudFront()).isEmpty();
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("CLOUDFRONT_DOMAIN", "d1.cloudfront.net")))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("CLOUDFRONT_KEY_ID"));
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("CLOUDFRONT_DOMAIN", "d1.cloudfront.net",
            "CLOUDFRONT_KEY_ID", "K2JCJMDEHXQW5F", "CLOUDFRONT_PRIVATE_KEY", "secret-not-a-key")))
            .isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.variable()).isEqualTo("CLOUDFRONT_PRIVATE_KEY");
                assertThat(e.getMessage()).doesNotContain("secret-not-a-key");
            });
        for (String bad : new String[]{"5s", "13h", "later"}) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("STREAM_LINK_TTL", bad))).as(bad)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("STREAM_LINK_TTL"));
        }
    }

    @Test
    void maxStreamsPerUserDefaultsToEightAndIsAtLeastOne() {
        assertThat(LauncherConfig.fromEnv(Map.of()).http().maxStreamsPerUser()).isEqualTo(8);
        assertThat(LauncherConfig.fromEnv(Map.of("MAX_STREAMS_PER_USER", "3")).http().maxStreamsPerUser()).isEqualTo(3);
        for (String bad : new String[]{"0", "-2", "many"}) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("MAX_STREAMS_PER_USER", bad))).as(bad)
                .isInstanceOfSatisfying(ConfigException.class,
                    e -> assertThat(e.variable()).isEqualTo("MAX_STREAMS_PER_USER"));
        }
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

    private static final Map<String, String> SHARED = Map.of("S3_BUCKET", "music", "AWS_REGION", "us-east-1",
        "USE_REDIS", "true");

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void rolesParseFromTheirNames() {
        assertThat(LauncherConfig.fromEnv(with(SHARED, "ROLE", "metadata-worker")).role()).isEqualTo(Role.METADATA_WORKER);
        assertThat(LauncherConfig.fromEnv(with(SHARED, "ROLE", "API")).role()).isEqualTo(Role.API);
        assertThat(LauncherConfig.fromEnv(with(SHARED, "ROLE", "indexer", "SQS_QUEUE_URL", "http://sqs:9324/1/q"))
            .role()).isEqualTo(Role.INDEXER);
    }

    @Test
    void separateRolesNeedARealBucketRedisAndTheIndexerItsQueue() {
        Map<String, Map<String, String>> bad = Map.of(
            "S3_BUCKET", Map.of("ROLE", "api", "USE_REDIS", "true"),
            "USE_REDIS", Map.of("ROLE", "metadata-worker", "S3_BUCKET", "music", "AWS_REGION", "us-east-1"),
            "SQS_QUEUE_URL", with(SHARED, "ROLE", "indexer"));
        bad.forEach((variable, env) -> assertThatThrownBy(() -> LauncherConfig.fromEnv(env)).as(variable)
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable)));
    }

    @Test
    void theContainerContractParses() {
        // what deploy/ sets for an indexer task on ECS (deploy/README.md, "The contract with the server image")
        LauncherConfig c = LauncherConfig.fromEnv(with(SHARED, "ROLE", "indexer", "HTTP_HOST", "0.0.0.0",
            "HTTP_PORT", "8080", "REDIS_URL", "rediss://cache.example:6379", "CACHE_TTL", "7d",
            "SHUTDOWN_GRACE", "45s", "CLUSTERED", "true", "EVENTBUS_PORT", "17001",
            "HZ_NETWORK_JOIN_AWS_ENABLED", "true", "HZ_NETWORK_PORT_PORT", "5701",
            "SQS_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/1/music-events",
            "SQS_DLQ_URL", "https://sqs.us-east-1.amazonaws.com/1/music-events-dlq"));

        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().members()).isEmpty();
        assertThat(c.cluster().eventBusHost()).isEmpty();
        assertThat(c.cluster().eventBusPort()).isEqualTo(17001);
        assertThat(c.sqs().deadLetterQueueUrl()).contains(URI.create("https://sqs.us-east-1.amazonaws.com/1/music-events-dlq"));
        assertThat(c.sqs().endpoint()).isEmpty();
        assertThat(c.redis().url().getScheme()).isEqualTo("rediss");
    }

    @Test
    void composeStyleEndpointsKeepSqsOffTheS3StandIn() {
        LauncherConfig c = LauncherConfig.fromEnv(with(SHARED, "AWS_ENDPOINT_URL", "http://s3proxy:80",
            "AWS_ENDPOINT_URL_SQS", "http://elasticmq:9324", "CLUSTERED", "true",
            "CLUSTER_MEMBERS", "api-1, api-2,indexer,127.0.0.1:5702", "EVENTBUS_HOST", "api-1",
            "DISCOGS_RATE", "30", "CLUSTER_JOIN_WAIT", "1s", "LOOKUP_LEASE", "10s"));

        assertThat(c.storage().endpoint()).contains(URI.create("http://s3proxy:80"));
        assertThat(c.sqs().endpoint()).contains(URI.create("http://elasticmq:9324"));
        assertThat(c.cluster().members()).containsExactly("api-1", "api-2", "indexer", "127.0.0.1:5702");
        assertThat(c.cluster().eventBusHost()).contains("api-1");
        assertThat(c.cluster().joinWait()).contains(Duration.ofSeconds(1));
        assertThat(c.discogs().rate()).isEqualTo(30);
        assertThat(c.discogs().lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.shutdownGrace()).isEqualTo(LauncherConfig.DEFAULT_SHUTDOWN_GRACE);
    }

    @Test
    void badClusterAndShutdownValuesFailNamingTheVariable() {
        Map<String, Map<String, String>> bad = Map.of(
            "CLUSTER_MEMBERS", Map.of("CLUSTERED", "true", "CLUSTER_MEMBERS", "127.0.0.1:5701-5703"),
            "CLUSTERED", Map.of("CLUSTERED", "sometimes"),
            "EVENTBUS_PORT", Map.of("EVENTBUS_PORT", "-1"),
            "SHUTDOWN_GRACE", Map.of("SHUTDOWN_GRACE", "soon"),
            "DISCOGS_RATE", Map.of("DISCOGS_RATE", "61"),
            "SQS_DLQ_URL", Map.of("SQS_DLQ_URL", "ftp://x"));
        bad.forEach((variable, env) -> assertThatThrownBy(() -> LauncherConfig.fromEnv(env)).as(variable)
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable)));
        assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("CLUSTER_MEMBERS", "a,b")))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("CLUSTER_MEMBERS"));
    }

    @Test
    void discogsOverPlainHttpIsAllowedOnlyOnLoopback() {
        for (String url : List.of("http://api.discogs.com", "http://10.0.0.1:9090", "http://127.0.0.1.evil.example",
            "http://localhost.evil.example:9090", "http://128.0.0.1", "http://127.000.0.1", "http://[::2]:9090")) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("DISCOGS_URL", url))).as(url)
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.variable()).isEqualTo("DISCOGS_URL");
                    assertThat(e.getMessage()).contains("in clear");
                });
        }
        for (String url : List.of("http://127.0.0.1:9090", "http://localhost:9090", "http://LOCALHOST",
            "http://[::1]:9090", "http://127.1.2.3", "https://api.discogs.com", "https://10.0.0.1:8443")) {
            assertThat(LauncherConfig.fromEnv(Map.of("DISCOGS_URL", url)).discogs().baseUrl()).as(url)
                .isEqualTo(URI.create(url));
        }
    }

    @Test
    void aMalformedRedisUrlIsNeverEchoedWithItsPassword() {
        for (String url : List.of("redis://:s3cret@host:notaport", "redis://user:s3cret@host:99999",
            "rediss://user:s3cret@ho st:6379", "http://:s3cret@host:6379", "redis://:s3cret@/0")) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("USE_REDIS", "true", "REDIS_URL", url))).as(url)
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.variable()).isEqualTo("REDIS_URL");
                    assertThat(e.getMessage()).doesNotContain("s3cret").contains("***@");
                    assertThat(e).hasNoCause();
                });
        }
    }

    @Test
    void reconcileEveryDefaultsToDailyAndTurnsOffWithZeroOrOff() {
        assertThat(LauncherConfig.fromEnv(Map.of()).reconcileEvery()).contains(Duration.ofDays(1));
        assertThat(LauncherConfig.fromEnv(Map.of("RECONCILE_EVERY", "6h")).reconcileEvery()).contains(Duration.ofHours(6));
        assertThat(LauncherConfig.fromEnv(Map.of("RECONCILE_EVERY", "0")).reconcileEvery()).isEmpty();
        assertThat(LauncherConfig.fromEnv(Map.of("RECONCILE_EVERY", "off")).reconcileEvery()).isEmpty();
        for (String bad : List.of("10s", "daily", "-1h")) {
            assertThatThrownBy(() -> LauncherConfig.fromEnv(Map.of("RECONCILE_EVERY", bad))).as(bad)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("RECONCILE_EVERY"));
        }
    }
}
