package dev.s3music.cluster;

import dev.s3music.model.Ids;
import dev.s3music.s3.CountingTcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's fault test "S3 connection cut mid-stream": one server JVM ({@code ROLE=all}) reaches S3Proxy through a
 * TCP relay that cuts its S3 connections after 1 MB, twice, while a listener streams a 6 MB song. The server resumes
 * the S3 body at the next byte (s3-store {@code ResumingBody}): the listener receives the whole file byte-exact,
 * with status 200 and no error, and {@code /metrics} counts the two resumes.
 */
@Tag("cluster")
class S3CutMidStreamTest {

    private static final int SIZE = 6 * 1024 * 1024 + 4321;

    @Test
    void theListenerReceivesTheWholeFileByteExactWhileTheS3ConnectionIsCut() throws Exception {
        Path workDir = Path.of(System.getProperty("cluster.workDir", "target/cluster")).resolve("s3-cut");
        try (LocalCluster cluster = new LocalCluster(LocalCluster.privateCopyOfServerJar(workDir), workDir)) {
            try {
                cluster.startServices();
                byte[] song = new byte[SIZE];
                new Random(9).nextBytes(song);
                String key = "Cut Artist/Cut Album/01 - Cut Twice.flac";
                cluster.s3().putObject(b -> b.bucket(LocalCluster.BUCKET).key(key), RequestBody.fromBytes(song));

                var member = cluster.plan("all", "all-cut");
                URI s3 = URI.create(cluster.environment(member, Map.of()).get("AWS_ENDPOINT_URL"));
                CountingTcpProxy relay = CountingTcpProxy.start(cluster.vertx(), "127.0.0.1", s3.getPort())
                    .await(10, TimeUnit.SECONDS);
                try {
                    ServerProcess server = cluster.start(member, Map.of("USE_REDIS", "false", "CLUSTERED", "false",
                        "AWS_ENDPOINT_URL", "http://127.0.0.1:" + relay.port()));
                    cluster.awaitReady(List.of(server), Duration.ofSeconds(90));
                    Api api = new Api(server.http());
                    Waits.until("the song listed", Duration.ofSeconds(30), Duration.ofMillis(250),
                        () -> Waits.Check.of(api.songVisible(key), "not yet"));

                    relay.cutAfter(1024 * 1024, 2);
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
                            server.http().resolve("/api/songs/" + Ids.song(key) + "/stream"))
                        .header("Authorization", api.bearer())
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
                    assertThat(r.body().length).as("bytes received").isEqualTo(SIZE);
                    assertThat(r.body()).as("byte-exact").isEqualTo(song);
                    assertThat(relay.cuts()).as("S3 connections cut during the stream").isEqualTo(2);
                    // the resumes meter, where this role serves /metrics on its API port (a management port may take it)
                    Api.Response metrics = api.get("/metrics");
                    if (metrics.status() == 200) {
                        assertThat(metrics.body()).containsPattern("(?m)^s3music_stream_resumes_total(\\{[^}]*\\})? 2\\.0$");
                    }
                } finally {
                    relay.close();
                }
            } catch (Throwable e) {
                System.err.println(e + cluster.logTails(60));
                throw e;
            }
        }
    }
}
