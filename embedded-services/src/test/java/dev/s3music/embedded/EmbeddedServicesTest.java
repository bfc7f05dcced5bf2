package dev.s3music.embedded;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServicesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void s3ProxyServesAFolderBucket(@TempDir Path base) throws Exception {
        Files.createDirectories(base.resolve("music/A/B"));
        Files.writeString(base.resolve("music/A/B/01 x.mp3"), "hello");
        try (EmbeddedS3 s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0)) {
            s3.createBucket("music");
            try (S3Client client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
                assertThat(client.listObjectsV2(b -> b.bucket("music")).contents())
                    .extracting(S3Object::key).containsExactly("A/B/01 x.mp3");
                assertThat(client.getObjectAsBytes(b -> b.bucket("music").key("A/B/01 x.mp3")).asUtf8String())
                    .isEqualTo("hello");
            }
        }
    }

    @Test
    void elasticMqAnswersSqsQueries() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            URI uri = sqs.endpoint().resolve("/?Action=ListQueues");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void redisServerStartsOnAFreePortAndStops() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             java.net.Socket s = new java.net.Socket("127.0.0.1", redis.port())) {
            s.getOutputStream().write("PING\r\n".getBytes());
            byte[] buf = new byte[7];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, n)).startsWith("+PONG");
        }
    }
}
