package dev.s3music.launcher;

import dev.s3music.embedded.EmbeddedS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two runnable jars, after {@code package} (run by the surefire execution {@code jars} in the
 * {@code integration-test} phase: the jars do not exist yet when the unit tests run).
 *
 * <p>{@code music-server-aws.jar}, the production image's jar, carries no stand-in: no S3Proxy, ElasticMQ, Jetty,
 * Pekko, Scala or jclouds class, no {@code EmbeddedStandIns}; it is well below the full jar's size; it refuses the
 * embedded default with a message naming {@code S3_BUCKET}; and it serves a real (S3-compatible) bucket, so
 * nothing it needs was left out.
 */
class LeanJarIT {

    private static final Path TARGET = Path.of("target");
    private static final Path FULL = TARGET.resolve("music-server.jar");
    private static final Path LEAN = TARGET.resolve("music-server-aws.jar");
    /** The lean jar measured 45.8 MB (2026-11-30), the full one 104 MB; the bound leaves room to grow. */
    private static final long LEAN_MAX_BYTES = 60L * 1024 * 1024;
    private static final List<String> STAND_IN_PREFIXES = List.of("org/gaul/s3proxy/", "org/elasticmq/",
        "org/eclipse/jetty/", "org/apache/pekko/", "scala/", "org/jclouds/", "org/h2/",
        "dev/s3music/embedded/", "dev/s3music/launcher/EmbeddedStandIns", "dev/s3music/launcher/EmbeddedServicesMain");

    @Test
    void theProductionJarCarriesNoStandIn() throws IOException {
        long full = Files.size(FULL);
        long lean = Files.size(LEAN);
        System.out.printf("music-server.jar %.1f MB, music-server-aws.jar %.1f MB%n", full / 1e6, lean / 1e6);

        assertThat(standIns(LEAN)).as("stand-in classes in %s", LEAN).isEmpty();
        assertThat(lean).as("size of %s", LEAN).isLessThan(LEAN_MAX_BYTES);
        // the same check finds them in the full jar, so it cannot pass vacuously
        assertThat(standIns(FULL)).anyMatch(n -> n.startsWith("org/gaul/s3proxy/"))
            .anyMatch(n -> n.startsWith("org/elasticmq/")).anyMatch(n -> n.startsWith("org/eclipse/jetty/"))
            .anyMatch(n -> n.startsWith("org/apache/pekko/")).anyMatch(n -> n.startsWith("dev/s3music/launcher/EmbeddedStandIns"));
        try (ZipFile zip = new ZipFile(LEAN.toFile())) {
            assertThat(zip.getEntry("dev/s3music/launcher/Main.class")).isNotNull();
            assertThat(zip.getEntry("dev/s3music/launcher/EmbeddedStack.class")).isNotNull();
        }
    }

    @Test
    void theProductionJarRefusesTheEmbeddedDefaultNamingS3Bucket(@TempDir Path tmp) throws Exception {
        ProcessBuilder pb = java(LEAN, Map.of("MUSIC_DIR", tmp.resolve("m").toString(), "HTTP_PORT", "0"));
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
            assertThat(p.exitValue()).as("bad configuration").isEqualTo(2);
            assertThat(Files.readString(tmp.resolve("out.log")))
                .contains("S3_BUCKET: is required by this jar").contains("music-server.jar");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theProductionJarServesARealBucket(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        DemoLibrary.installIfEmpty(music);
        try (EmbeddedBucketFolder folder = EmbeddedBucketFolder.create(music, "music");
             EmbeddedS3 s3 = EmbeddedS3.onFolder(folder.baseDir(), "127.0.0.1", 0)) {
            int port = freePort();
            ProcessBuilder pb = java(LEAN, Map.of("S3_BUCKET", "music", "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(), "AWS_ACCESS_KEY_ID", s3.accessKey(),
                "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "HTTP_PORT", Integer.toString(port),
                "ADMIN_PASSWORD", TestSignIn.ADMIN_PASSWORD));
            Path log = tmp.resolve("server.log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String artists = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (artists == null && p.isAlive() && System.nanoTime() < deadline) {
                    try {
                        // every /api call needs a session: sign in as the admin ADMIN_PASSWORD created
                        String bearer = TestSignIn.bearer(URI.create("http://127.0.0.1:" + port));
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/artists")).timeout(Duration.ofSeconds(5))
                            .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("Ada Sine")) {
                            artists = r.body();
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                    if (artists == null) {
                        Thread.sleep(250);
                    }
                }
                assertThat(artists).as("the demo library through the lean jar; its log:%n%s", Files.readString(log))
                    .isNotNull();
                // the banner is the last line of the start
                while (!Files.readString(log).contains(") is up: ") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                // 0 after the graceful stop; 143 when SIGTERM came in the moment between the banner and the signal
                // handlers being set (the shutdown hook then closes): either way a clean stop of the whole server
                assertThat(p.exitValue()).as("exit after SIGTERM").isIn(0, 143);
                assertThat(Files.readString(log)).contains("stopped in")
                    .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> standIns(Path jar) throws IOException {
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> e.getName())
                .filter(n -> STAND_IN_PREFIXES.stream().anyMatch(n::startsWith))
                .forEach(found::add);
        }
        return found;
    }

    private static ProcessBuilder java(Path jar, Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString());
        pb.environment().keySet().removeIf(k -> LauncherConfig.VARIABLES.contains(k) || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        return pb;
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
