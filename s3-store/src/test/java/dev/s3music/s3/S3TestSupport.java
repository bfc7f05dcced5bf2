package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.net.URI;
import java.util.Random;

/** Test helpers around an {@link EmbeddedS3}: an uploader client, random content, reading a stream whole. */
public final class S3TestSupport implements AutoCloseable {

    private final S3AsyncClient uploader;
    private final String bucket;

    public S3TestSupport(EmbeddedS3 s3, String bucket) {
        this.bucket = bucket;
        this.uploader = S3AsyncClient.builder()
            .endpointOverride(s3.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
            .build();
    }

    /** Config of a store reading {@code bucket} of this S3Proxy through {@code endpoint}. */
    public static S3Config config(EmbeddedS3 s3, String bucket, URI endpoint) {
        return S3Config.compatible(bucket, endpoint, s3.accessKey(), s3.secretKey());
    }

    /** Uploads through the S3 API (so the object gets an ETag); returns the ETag without quotes. */
    public String put(String key, byte[] content) {
        String etag = uploader.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromBytes(content)).join().eTag();
        return S3ObjectStore.bareEtag(etag);
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads a paused stream to its end, failing when it exceeds {@code max} bytes. */
    public static Future<Buffer> readAll(ReadStream<Buffer> stream, long max) {
        Promise<Buffer> p = Promise.promise();
        Buffer all = Buffer.buffer();
        stream.exceptionHandler(p::tryFail);
        stream.handler(b -> {
            all.appendBuffer(b);
            if (all.length() > max) {
                p.tryFail("stream longer than " + max);
            }
        });
        stream.endHandler(v -> p.tryComplete(all));
        stream.resume();
        return p.future();
    }

    @Override
    public void close() {
        uploader.close();
    }
}
