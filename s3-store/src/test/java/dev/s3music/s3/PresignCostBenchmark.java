package dev.s3music.s3;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

/** What one presigned GET costs the streaming path: the SDK presigner, per call, after warm-up. */
@Tag("benchmark")
class PresignCostBenchmark {

    @Test
    void presignerMicrosPerCall() {
        try (S3Presigner p = S3Presigner.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9000"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            for (int round = 0; round < 3; round++) {
                int n = 20_000;
                long t = System.nanoTime();
                for (int j = 0; j < n; j++) {
                    String key = "Artist/Album/01 - Song " + (j % 100) + ".flac";
                    p.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g
                        .bucket("music").key(key).range("bytes=0-65535")
                        .ifMatch("\"abc\"")));
                }
                System.out.printf("presignGetObject: %.1f us per call%n", (System.nanoTime() - t) / 1e3 / n);
                var signer = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create();
                var creds = AwsBasicCredentials.create("a", "b");
                t = System.nanoTime();
                for (int j = 0; j < n; j++) {
                    String key = "Artist/Album/01 - Song " + (j % 100) + ".flac";
                    var req = software.amazon.awssdk.http.SdkHttpRequest.builder()
                        .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
                        .uri(URI.create("http://127.0.0.1:9000/music/"
                            + software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncodeIgnoreSlashes(key)))
                        .putHeader("Range", "bytes=0-65535").putHeader("If-Match", "\"abc\"").build();
                    signer.sign(r -> r.identity(creds).request(req).payload(null)
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.AUTH_LOCATION,
                            software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.EXPIRATION_DURATION,
                            Duration.ofMinutes(5))
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
                }
                System.out.printf("AwsV4HttpSigner (the streaming path): %.1f us per call%n",
                    (System.nanoTime() - t) / 1e3 / n);
            }
        }
    }
}
