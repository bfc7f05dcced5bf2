package dev.s3music.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3music.launcher.LauncherConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Every environment variable the deployment gives a server container is one the launcher reads
 * ({@link LauncherConfig#VARIABLES}, the only names its {@code Env} can read), so a renamed or forgotten variable
 * fails here instead of being silently ignored by a running task. Sources: the ECS task definitions of the
 * synthesized stack (environment and secrets), the server services of compose.yaml, the Dockerfile's runtime ENV.
 *
 * <p>Allowed by rule, because other readers own them: {@code HZ_*} (Hazelcast's configuration overrides),
 * {@code AWS_*} of the AWS SDK (credentials, region, endpoints: the SDK reads them itself, the launcher reads some
 * too) and {@code JAVA_*} / {@code JDK_*} (the JVM).
 */
class LauncherVariablesTest {

    private static final Path DEPLOY = DockerfileTest.DEPLOY;
    private static final Set<String> COMPOSE_SERVERS = Set.of("api-1", "api-2", "indexer", "metadata-worker");

    @Test
    void everyVariableTheDeploymentSetsIsOneTheLauncherReads() throws IOException {
        Map<String, String> set = new TreeMap<>(); // name -> where it is set
        MusicServerStack stack = new MusicServerStack(CdkJson.app(), "S3Music", StackProps.builder().build(),
            DeploySettings.defaults("ghcr.io/example/s3music:1.0.0"));
        StackTemplate json = new StackTemplate(stack, Template.fromStack(stack));
        for (Map<String, Object> c : json.containers()) {
            Object role = StackTemplate.env(c).get(ServerContract.ENV_ROLE);
            StackTemplate.env(c).keySet().forEach(n -> set.put(n, "stack environment, ROLE=" + role));
            StackTemplate.secrets(c).keySet().forEach(n -> set.put(n, "stack secret, ROLE=" + role));
        }
        assertThat(set).as("the stack's variables").containsKeys(ServerContract.ENV_ROLE, ServerContract.ENV_AUTH_SECRET,
            ServerContract.ENV_DISCOGS_TOKEN, ServerContract.ENV_ADMIN_PASSWORD, ServerContract.ENV_MANAGEMENT_PORT);
        composeVariables().forEach((n, where) -> set.putIfAbsent(n, where));
        dockerfileVariables().forEach(n -> set.putIfAbsent(n, "Dockerfile ENV"));

        Set<String> unknown = new TreeSet<>();
        set.forEach((name, where) -> {
            if (!LauncherConfig.VARIABLES.contains(name) && !allowedByRule(name)) {
                unknown.add(name + " (" + where + ")");
            }
        });
        assertThat(unknown).as("variables the deployment sets but the launcher never reads").isEmpty();
        System.out.printf("%d variables set by the deployment, all read by the launcher or by rule: %s%n",
            set.size(), set.keySet());
    }

    @Test
    void theRuleAllowsOnlyOtherReadersNames() {
        assertThat(allowedByRule("HZ_NETWORK_JOIN_AWS_ENABLED")).isTrue();
        assertThat(allowedByRule("AWS_ENDPOINT_URL_SQS")).isTrue();
        assertThat(allowedByRule("JAVA_TOOL_OPTIONS")).isTrue();
        // a misspelt launcher variable is not excused
        assertThat(allowedByRule("AUTH_SECRETS")).isFalse();
        assertThat(LauncherConfig.VARIABLES).doesNotContain("AUTH_SECRETS");
    }

    private static boolean allowedByRule(String name) {
        return name.startsWith("HZ_") || name.startsWith("AWS_") || name.startsWith("JAVA_") || name.startsWith("JDK_");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> composeVariables() throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Reader r = Files.newBufferedReader(DEPLOY.resolve("compose.yaml"))) {
            Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(r)).get("services");
            assertThat(services).containsKeys(COMPOSE_SERVERS.toArray(String[]::new));
            for (String s : COMPOSE_SERVERS) {
                Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(s)).get("environment");
                env.keySet().forEach(n -> found.putIfAbsent(n, "compose.yaml " + s));
            }
        }
        return found;
    }

    private static Set<String> dockerfileVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Dockerfile.Instruction env : Dockerfile.parse(DEPLOY.resolve("Dockerfile")).finalStage().all("ENV")) {
            for (String pair : env.arguments().split("\\s+")) {
                if (pair.contains("=")) {
                    names.add(pair.substring(0, pair.indexOf('=')));
                }
            }
        }
        assertThat(names).contains(ServerContract.ENV_ROLE, ServerContract.ENV_HTTP_HOST);
        return names;
    }
}
