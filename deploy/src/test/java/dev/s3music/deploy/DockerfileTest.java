package dev.s3music.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3music.deploy.Dockerfile.Instruction;
import dev.s3music.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of deploy/Dockerfile. No Docker engine runs on the build machines, so the image is never built in
 * tests: these checks read the file and hold it to what the deployment relies on.
 */
class DockerfileTest {

    static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path ROOT = DEPLOY.getParent();

    private static Dockerfile dockerfile;

    @BeforeAll
    static void parse() throws IOException {
        dockerfile = Dockerfile.parse(DEPLOY.resolve("Dockerfile"));
    }

    @Test
    void buildsWithAJdk17MavenStageAndRunsOnAJre17Stage() {
        assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
        Stage build = dockerfile.stages().get(0);
        assertThat(build.baseImage()).startsWith("maven:").contains("17");
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.all("RUN")).anyMatch(r -> r.arguments().contains("mvn ") && r.arguments().contains("-pl launcher"));

        Stage runtime = dockerfile.finalStage();
        assertThat(runtime.baseImage()).matches("eclipse-temurin:17-jre(-[a-z]+)?");
        // nothing of the JDK or Maven reaches the runtime image but the jars
        assertThat(runtime.all("COPY")).isNotEmpty().allMatch(c -> c.arguments().contains("--from=build"));
        assertThat(runtime.all("COPY")).anyMatch(c -> c.arguments().contains("/app/music-server.jar"));
    }

    @Test
    void runsAsANonRootUser() {
        Instruction user = dockerfile.finalStage().last("USER");
        assertThat(user).as("USER in the runtime stage").isNotNull();
        String who = user.arguments().split(":")[0];
        assertThat(who).isNotIn("root", "0");
        // and the jar is not writable by that user
        assertThat(dockerfile.finalStage().all("COPY")).allMatch(c -> c.arguments().contains("--chown=root:root"));
    }

    @Test
    void checksLivenessOverHttp() {
        Instruction health = dockerfile.finalStage().last("HEALTHCHECK");
        assertThat(health).isNotNull();
        assertThat(health.arguments()).contains("CMD").contains(ServerContract.LIVE_PATH).contains("--start-period=");
        // the health check's client is installed in the runtime stage
        assertThat(dockerfile.finalStage().all("RUN")).anyMatch(r -> r.arguments().contains("install") && r.arguments().contains("curl"));
    }

    @Test
    void exposesHttpHazelcastAndEventBusPorts() {
        List<String> ports = dockerfile.finalStage().all("EXPOSE").stream()
            .flatMap(e -> Arrays.stream(e.arguments().split("\\s+")))
            .toList();
        assertThat(ports).contains(Integer.toString(ServerContract.HTTP_PORT), Integer.toString(ServerContract.HAZELCAST_PORT),
            Integer.toString(ServerContract.EVENTBUS_PORT));
        String env = String.join(" ", dockerfile.finalStage().all("ENV").stream().map(Instruction::arguments).toList());
        assertThat(env).contains("HTTP_HOST=0.0.0.0", "LOG_FORMAT=json", "HTTP_PORT=" + ServerContract.HTTP_PORT,
            "EVENTBUS_PORT=" + ServerContract.EVENTBUS_PORT);
    }

    @Test
    void opensTheManagementPortToTheContainerNetworkAndKeepsTheHealthCheckOnHttp() {
        List<String> ports = dockerfile.finalStage().all("EXPOSE").stream()
            .flatMap(e -> Arrays.stream(e.arguments().split("\\s+")))
            .toList();
        assertThat(ports).contains(Integer.toString(ServerContract.MANAGEMENT_PORT));
        String env = String.join(" ", dockerfile.finalStage().all("ENV").stream().map(Instruction::arguments).toList());
        assertThat(env).contains("MANAGEMENT_HOST=0.0.0.0", "MANAGEMENT_PORT=" + ServerContract.MANAGEMENT_PORT);
        // the container's health check stays on the open status probe of the HTTP port
        assertThat(dockerfile.finalStage().last("HEALTHCHECK").arguments())
            .contains("${HTTP_PORT}/health/live").doesNotContain(Integer.toString(ServerContract.MANAGEMENT_PORT));
    }

    @Test
    void startsTheJarAsPidOneWithContainerAwareMemory() {
        Instruction entry = dockerfile.finalStage().last("ENTRYPOINT");
        assertThat(entry).isNotNull();
        // exec form (a JSON array): java itself receives SIGTERM, no shell in between
        assertThat(entry.arguments()).startsWith("[\"java\"").endsWith("]");
        assertThat(entry.arguments()).contains("\"-jar\", \"/app/music-server.jar\"", "MaxRAMPercentage", "ExitOnOutOfMemoryError");
        assertThat(dockerfile.finalStage().all("CMD")).isEmpty();
    }

    @Test
    void copiesWhatTheLauncherAndFakeDiscogsBuild() throws IOException {
        // the Dockerfile relies on these names in other modules: fail here, not in a docker build, if they change
        assertThat(Files.readString(ROOT.resolve("launcher/pom.xml"))).contains("/music-server-aws.jar</outputFile>");
        assertThat(ROOT.resolve("fake-discogs/src/main/java/dev/s3music/fakediscogs/FakeDiscogsMain.java")).exists();
        String run = dockerfile.stages().get(0).all("RUN").get(0).arguments();
        // the production jar, without the embedded stand-ins (the launcher's LeanJarIT checks its contents)
        assertThat(run).contains("launcher/target/music-server-aws.jar", "fake-discogs/target/")
            .doesNotContain("launcher/target/music-server.jar");
    }

    @Test
    void keepsBuildOutputAndHistoryOutOfTheContext() throws IOException {
        List<String> ignored = Files.readAllLines(DEPLOY.resolve("Dockerfile.dockerignore")).stream()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains(".git", "**/target", "**/node_modules", "**/cdk.out");
    }
}
