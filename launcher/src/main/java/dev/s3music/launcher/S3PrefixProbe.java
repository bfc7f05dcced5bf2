package dev.s3music.launcher;

import dev.s3music.s3.S3Config;
import io.vertx.core.Context;
import io.vertx.core.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.time.Duration;

/**
 * The metadata worker's S3 readiness probe: one listing of at most one key under its prefix. The worker's task
 * role may list only {@code .s3music/cache/} (deploy README), so {@code HeadBucket}, the API's and indexer's probe,
 * would be denied. The worker reads and writes nothing else in S3 yet, hence a small client of its own (one
 * connection, short timeouts) rather than a whole {@code S3ObjectStore}.
 */
final class S3PrefixProbe implements AutoCloseable {

    private final S3AsyncClient s3;
    private final String bucket;
    private final String prefix;

    private S3PrefixProbe(S3AsyncClient s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    static S3PrefixProbe create(S3Config cfg, String prefix) {
        var b = S3AsyncClient.builder()
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(2)
                .connectionTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)))
            .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(5)).build())
            .region(Region.of(cfg.region()))
            .forcePathStyle(cfg.pathStyle());
        if (cfg.endpoint() != null) {
            b.endpointOverride(cfg.endpoint());
        }
        b.credentialsProvider(cfg.staticCredentials()
            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(cfg.accessKey(), cfg.secretKey()))
            : DefaultCredentialsProvider.builder().build());
        return new S3PrefixProbe(b.build(), cfg.bucket(), prefix);
    }

    /** Succeeds when the bucket answers a listing of the prefix; completes on {@code context}. */
    Future<Void> check(Context context) {
        return Future.fromCompletionStage(s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
            .maxKeys(1).build()), context).mapEmpty();
    }

    @Override
    public void close() {
        s3.close();
    }
}
