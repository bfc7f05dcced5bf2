package dev.s3music.cluster;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process harness on one server JVM ({@code ROLE=all}, unclustered, in-memory catalog) over the test's S3:
 * start, readiness, the catalog through the API equal to the bucket, SIGTERM ends it.
 */
@Tag("cluster")
class SingleProcessTest {

    @Test
    void anAllInOneServerOverAnExternalBucketListsEveryUploadAndStopsOnSigterm() throws Exception {
        Path workDir = Path.of(System.getProperty("cluster.workDir", "target/cluster")).resolve("single");
        try (LocalCluster cluster = new LocalCluster(LocalCluster.privateCopyOfServerJar(workDir), workDir)) {
            try {
                cluster.startServices();
                List<Library.Upload> plan = Library.plan(Library.demoLibrary(), 20, 2);
                for (Library.Upload u : plan) {
                    cluster.s3().putObject(b -> b.bucket(LocalCluster.BUCKET).key(u.key()), RequestBody.fromFile(u.body()));
                }
                var member = cluster.plan("all", "all-1");
                ServerProcess server = cluster.start(member, Map.of("USE_REDIS", "false", "CLUSTERED", "false"));
                cluster.awaitReady(List.of(server), Duration.ofSeconds(90));

                Set<String> expected = plan.stream().map(Library.Upload::key).collect(Collectors.toCollection(TreeSet::new));
                Api api = new Api(server.http());
                Waits.until("every upload listed", Duration.ofSeconds(30), Duration.ofMillis(250),
                    () -> Waits.Check.of(api.catalogKeys().equals(expected), api.catalogKeys().size() + " listed"));

                server.terminate();
                assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM (-1: still running)")
                    .isNotEqualTo(-1);
            } catch (Throwable e) {
                System.err.println(e + cluster.logTails(60));
                throw e;
            }
        }
    }
}
