package dev.s3music.s3;

import dev.s3music.model.DomainException;
import dev.s3music.model.port.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.util.Objects;

/**
 * The {@link BlobStore} port on S3: small binary objects (resized cover art) under a reserved prefix of the music
 * bucket ({@code .s3music/art/}), on the {@link S3ObjectStore}'s client. Every write is STANDARD storage class
 * (small objects in Infrequent Access are billed as 128 KB for 30 days). Bodies are bounded by
 * {@link BlobStore#MAX_BYTES} both ways.
 */
final class S3BlobStore implements BlobStore {

    private final S3ObjectStore store;
    private final S3AsyncClient s3;
    private final String root;

    S3BlobStore(S3ObjectStore store, S3AsyncClient s3, String root) {
        this.store = store;
        this.s3 = s3;
        this.root = Objects.requireNonNull(root, "root");
    }

    @Override
    public Future<Buffer> get(String key) {
        String full = root + key;
        GetObjectRequest request = GetObjectRequest.builder().bucket(store.bucket()).key(full).build();
        return store.call(() -> s3.getObject(request, AsyncResponseTransformer.toBytes()), "GET " + full)
            .map(bytes -> {
                Long length = bytes.response().contentLength();
                if (length != null && length > MAX_BYTES) {
                    throw DomainException.invalid(full + " is over " + MAX_BYTES + " bytes");
                }
                return Buffer.buffer(bytes.asByteArrayUnsafe());
            })
            .recover(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND)
                ? Future.succeededFuture(null) : Future.failedFuture(t));
    }

    @Override
    public Future<Void> put(String key, Buffer bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        String full = root + key;
        if (bytes.length() > MAX_BYTES) {
            return Future.failedFuture(DomainException.invalid(full + " is over " + MAX_BYTES + " bytes"));
        }
        PutObjectRequest request = PutObjectRequest.builder().bucket(store.bucket()).key(full)
            .contentType(contentType).storageClass(StorageClass.STANDARD).build();
        byte[] body = bytes.getBytes();
        return store.call(() -> s3.putObject(request, AsyncRequestBody.fromBytes(body)), "PUT " + full).mapEmpty();
    }
}
