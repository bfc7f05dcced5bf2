package dev.s3music.deploy;

import static dev.s3music.deploy.ServerContract.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Static checks of deploy/compose.yaml (no Docker engine here): it parses, runs every role from the one image,
 * wires them to the stand-ins by name, and waits on health checks.
 */
class ComposeFileTest {

    private static final Path DEPLOY = DockerfileTest.DEPLOY;
    private static final Set<String> ROLE_SERVICES = Set.of("api-1", "api-2", "indexer", "metadata-worker");

    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        try (Reader r = Files.newBufferedReader(DEPLOY.resolve("compose.yaml"))) {
            // SnakeYAML resolves the << merge keys the file uses for the shared role settings
            Map<String, Object> compose = new Yaml().load(r);
            services = (Map<String, Object>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String name) {
        Object env = service(name).get("environment");
        assertThat(env).as("%s environment as a map", name).isInstanceOf(Map.class);
        return ((Map<String, Object>) env).entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> dependsOn(String name) {
        return (Map<String, Map<String, Object>>) service(name).get("depends_on");
    }

    @Test
    void runsTheStandInsAndEveryRole() {
        assertThat(services).containsKeys("redis", "s3proxy", "elasticmq", "fake-discogs");
        assertThat(services).containsKeys(ROLE_SERVICES.toArray(String[]::new));
        assertThat(ROLE_SERVICES.stream().map(s -> env(s).get(ENV_ROLE)).collect(Collectors.toList()))
            .containsExactlyInAnyOrder(ROLE_API, ROLE_API, ROLE_INDEXER, ROLE_WORKER);
    }

    @Test
    void buildsOneImageForEveryRoleAndTheFakeDiscogs() {
        Set<Object> images = new TreeSet<>();
        for (String s : ROLE_SERVICES) {
            images.add(service(s).get("image"));
            @SuppressWarnings("unchecked")
            Map<String, Object> build = (Map<String, Object>) service(s).get("build");
            assertThat(build).containsEntry("context", "..").containsEntry("dockerfile", "deploy/Dockerfile");
        }
        images.add(service("fake-discogs").get("image"));
        assertThat(images).containsExactly("s3music:local");
        assertThat(service("fake-discogs").get("entrypoint").toString()).contains("dev.s3music.fakediscogs.FakeDiscogsMain");
    }

    @Test
    void everyRoleWaitsForRedisAndS3AndStartsAfterTheQueue() {
        for (String s : ROLE_SERVICES) {
            Map<String, Map<String, Object>> deps = dependsOn(s);
            assertThat(deps).containsKeys("redis", "s3proxy", "elasticmq");
            assertThat(deps.get("redis")).containsEntry("condition", "service_healthy");
            assertThat(deps.get("s3proxy")).containsEntry("condition", "service_healthy");
        }
        assertThat(dependsOn("fake-discogs")).containsKey("metadata-worker");
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthChecksProbeReadinessOfRolesAndTheStandIns() {
        for (String s : ROLE_SERVICES) {
            Map<String, Object> health = (Map<String, Object>) service(s).get("healthcheck");
            assertThat(health.get("test").toString()).contains(READY_PATH);
            assertThat(health).containsKeys("interval", "timeout", "retries", "start_period");
        }
        for (String s : List.of("redis", "s3proxy", "fake-discogs")) {
            assertThat(service(s)).as(s).containsKey("healthcheck");
        }
        // stopping waits for the stream grace before SIGKILL
        assertThat(service("api-1").get("stop_grace_period")).isEqualTo("45s");
    }

    @Test
    void wiresEveryRoleToTheStandInsByServiceName() {
        for (String s : ROLE_SERVICES) {
            Map<String, String> env = env(s);
            assertThat(env).containsEntry(ENV_HTTP_HOST, ALL_INTERFACES)
                .containsEntry(ENV_LOG_FORMAT, LOG_FORMAT_JSON)
                .containsEntry(ENV_HTTP_PORT, Integer.toString(HTTP_PORT))
                .containsEntry(ENV_USE_REDIS, "true")
                .containsEntry(ENV_CLUSTERED, "true")
                .containsEntry(ENV_EVENTBUS_PORT, Integer.toString(EVENTBUS_PORT))
                .containsEntry(ENV_EVENTBUS_HOST, s)
                .containsKeys(ENV_AWS_REGION, ENV_S3_BUCKET, ENV_CACHE_TTL, ENV_SHUTDOWN_GRACE);
            assertThat(URI.create(env.get(ENV_REDIS_URL)).getHost()).isEqualTo("redis");
            assertThat(URI.create(env.get(ENV_AWS_ENDPOINT_URL)).getHost()).isEqualTo("s3proxy");
            assertThat(URI.create(env.get(ENV_AWS_ENDPOINT_URL_SQS)).getHost()).isEqualTo("elasticmq");
            // every role process is a cluster member, and only those
            assertThat(Arrays.asList(env.get(ENV_CLUSTER_MEMBERS).split(","))).containsExactlyInAnyOrderElementsOf(ROLE_SERVICES);
        }
        // like on AWS: only the indexer consumes the queue, only the worker holds the Discogs token, only the API the auth secret
        assertThat(env("indexer")).containsKeys(ENV_SQS_QUEUE_URL, ENV_SQS_DLQ_URL);
        assertThat(env("api-1")).doesNotContainKeys(ENV_SQS_QUEUE_URL, ENV_DISCOGS_TOKEN).containsKey(ENV_AUTH_SECRET);
        assertThat(env("metadata-worker")).containsKeys(ENV_DISCOGS_TOKEN, ENV_DISCOGS_URL).doesNotContainKey(ENV_SQS_QUEUE_URL);
    }

    @Test
    void queueUrlsNameQueuesThatElasticMqDeclaresWithTheSameRedriveAsAws() throws IOException {
        String conf = Files.readString(DEPLOY.resolve("compose/elasticmq.conf"));
        for (String variable : List.of(ENV_SQS_QUEUE_URL, ENV_SQS_DLQ_URL)) {
            URI url = URI.create(env("indexer").get(variable));
            assertThat(url.getHost()).isEqualTo("elasticmq");
            String queue = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            assertThat(conf).containsPattern("(?m)^\\s*" + Pattern.quote(queue) + "\\s*\\{");
        }
        Matcher receives = Pattern.compile("maxReceiveCount\\s*=\\s*(\\d+)").matcher(conf);
        assertThat(receives.find()).isTrue();
        assertThat(Integer.parseInt(receives.group(1))).isEqualTo(MusicServerStack.MAX_RECEIVE_COUNT);
        assertThat(conf).contains("host = elasticmq", "bind-hostname = \"0.0.0.0\"");
    }

    @Test
    void s3ProxyServesTheBucketTheRolesUseFromAFolder() {
        Map<String, String> s3 = env("s3proxy");
        assertThat(s3).containsEntry("JCLOUDS_PROVIDER", "filesystem-nio2")
            .containsEntry("S3PROXY_IGNORE_UNKNOWN_HEADERS", "true")
            .containsEntry("S3PROXY_IDENTITY", env("api-1").get("AWS_ACCESS_KEY_ID"))
            .containsEntry("S3PROXY_CREDENTIAL", env("api-1").get("AWS_SECRET_ACCESS_KEY"));
        // filesystem-nio2: bucket "music" is the folder <basedir>/music
        String bucket = env("api-1").get(ENV_S3_BUCKET);
        assertThat(service("s3proxy").get("volumes").toString()).contains(":" + s3.get("JCLOUDS_FILESYSTEM_BASEDIR") + "/" + bucket);
    }

    @Test
    void managementPortIsOpenToTheComposeNetworkButNeverPublished() {
        for (String s : ROLE_SERVICES) {
            assertThat(env(s)).containsEntry(ENV_MANAGEMENT_HOST, ALL_INTERFACES)
                .containsEntry(ENV_MANAGEMENT_PORT, Integer.toString(MANAGEMENT_PORT));
        }
        for (Object s : services.values()) {
            @SuppressWarnings("unchecked")
            List<Object> ports = (List<Object>) ((Map<String, Object>) s).get("ports");
            if (ports != null) {
                assertThat(ports).noneMatch(p -> p.toString().endsWith(":" + MANAGEMENT_PORT));
            }
        }
    }

    @Test
    void theFakeDiscogsTakesAPortTheWorkerItSharesANetworkWithDoesNotUse() {
        List<String> entrypoint = ((List<?>) service("fake-discogs").get("entrypoint")).stream().map(String::valueOf).toList();
        int port = Integer.parseInt(entrypoint.get(entrypoint.indexOf("--port") + 1));
        assertThat(port).isNotIn(HTTP_PORT, MANAGEMENT_PORT, HAZELCAST_PORT, EVENTBUS_PORT);
        // the worker's default DISCOGS_URL (${DISCOGS_URL:-http://127.0.0.1:<port>}) and the health check use it
        assertThat(env("metadata-worker").get(ENV_DISCOGS_URL)).endsWith("http://127.0.0.1:" + port + "}");
        assertThat(service("fake-discogs").get("healthcheck").toString()).contains("http://127.0.0.1:" + port + "/");
    }

    @Test
    void onlyTheApiGetsTheFirstAdmin() {
        for (String s : List.of("api-1", "api-2")) {
            assertThat(env(s)).containsEntry(ENV_ADMIN_USER, "${ADMIN_USER:-admin}")
                // never a default password: empty (unset) unless the operator gives one
                .containsEntry(ENV_ADMIN_PASSWORD, "${ADMIN_PASSWORD:-}");
        }
        for (String s : List.of("indexer", "metadata-worker")) {
            assertThat(env(s)).doesNotContainKeys(ENV_ADMIN_USER, ENV_ADMIN_PASSWORD);
        }
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        for (Object s : services.values()) {
            @SuppressWarnings("unchecked")
            List<Object> ports = (List<Object>) ((Map<String, Object>) s).get("ports");
            if (ports != null) {
                assertThat(ports).allMatch(p -> p.toString().startsWith("127.0.0.1:"));
            }
        }
    }
}
