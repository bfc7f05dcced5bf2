package dev.s3music.s3;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The {@link DocumentStore} port on S3: small JSON documents under a reserved prefix of the music bucket (such as
 * {@code .s3music/cache/}, which the catalog never mistakes for music), on the {@link S3ObjectStore}'s client.
 *
 * <ul>
 *   <li>Versions are ETags (unquoted). {@link #create} sends {@code If-None-Match: *} and {@link #replace}
 *       {@code If-Match: "<etag>"}: S3 evaluates them atomically with the write. Its answers 412 Precondition
 *       Failed (the condition is false), 409 ConditionalRequestConflict (a concurrent conditional write won) and,
 *       for {@code If-Match} on a key that is gone, 404, all become {@code CONFLICT}.</li>
 *   <li>Every write says {@code x-amz-storage-class: STANDARD} explicitly: documents are a few KB, read often and
 *       rewritten, and Infrequent Access would bill each one as 128 KB kept at least 30 days. The stack's lifecycle
 *       rule spares them too (deploy/README.md).</li>
 *   <li>Bodies are bounded by {@link DocumentStore#MAX_BYTES} both ways: a write over it is refused before it is
 *       sent, and a read of an object over it fails ({@code INVALID}).</li>
 * </ul>
 */
final class S3DocumentStore implements DocumentStore {

    private final S3ObjectStore store;
    private final S3AsyncClient s3;
    private final String root;

    S3DocumentStore(S3ObjectStore store, S3AsyncClient s3, String root) {
        this.store = store;
        this.s3 = s3;
        this.root = Objects.requireNonNull(root, "root");
    }

    private String bucket() {
        return store.bucket();
    }

    @Override
    public Future<Versioned<JsonObject>> get(String key) {
        String full = root + key;
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket()).key(full).build();
        return store.call(() -> s3.getObject(request, AsyncResponseTransformer.toBytes()), "GET " + full)
            .<Versioned<JsonObject>>map(bytes -> {
                Long length = bytes.response().contentLength();
                if (length != null && length > MAX_BYTES) {
                    throw DomainException.invalid(full + " is over " + MAX_BYTES + " bytes");
                }
                String etag = S3ObjectStore.bareEtag(bytes.response().eTag());
                if (etag == null) {
                    // real S3 always sends one; S3Proxy omits it for files put in its folder by hand
                    throw DomainException.transientFailure("GET " + full + " came without an ETag", null);
                }
                return new Versioned<>(new JsonObject(Buffer.buffer(bytes.asByteArrayUnsafe())), etag);
            })
            .recover(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND)
                ? Future.succeededFuture(null) : Future.failedFuture(t));
    }

    @Override
    public Future<String> create(String key, JsonObject document) {
        return write(key, document, b -> b.ifNoneMatch("*"), "exists already");
    }

    @Override
    public Future<String> replace(String key, JsonObject document, String expectedVersion) {
        String quoted = S3ObjectStore.quotedEtag(expectedVersion);
        if (quoted == null) {
            return Future.failedFuture(DomainException.invalid("no expected version to replace " + key + " at"));
        }
        return write(key, document, b -> b.ifMatch(quoted), "is no longer at version " + expectedVersion);
    }

    @Override
    public Future<Void> put(String key, JsonObject document) {
        return write(key, document, b -> { }, null).mapEmpty();
    }

    @Override
    public Future<Void> delete(String key) {
        String full = root + key;
        DeleteObjectRequest request = DeleteObjectRequest.builder().bucket(bucket()).key(full).build();
        return store.call(() -> s3.deleteObject(request), "DELETE " + full).mapEmpty();
    }

    @Override
    public Future<DocumentPage> list(String prefix, String cursor, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            return Future.failedFuture(DomainException.invalid("limit must be 1.." + MAX_LIST_LIMIT + ": " + limit));
        }
        String full = root + prefix;
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket()).prefix(full).maxKeys(limit)
            .continuationToken(cursor).build();
        return store.call(() -> s3.listObjectsV2(request), "LIST " + bucket() + "/" + full).map(r -> {
            List<DocumentPage.Entry> entries = r.contents().stream()
                .map(o -> new DocumentPage.Entry(o.key().substring(root.length()), S3ObjectStore.bareEtag(o.eTag())))
                .toList();
            return new DocumentPage(entries, Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
        });
    }

    private interface Condition {
        void apply(PutObjectRequest.Builder b);
    }

    /** PUT with a condition; {@code lost} (null for an unconditional put) words the conflict. */
    private Future<String> write(String key, JsonObject document, Condition condition, String lost) {
        Objects.requireNonNull(document, "document");
        String full = root + key;
        byte[] body = document.toBuffer().getBytes();
        if (body.length > MAX_BYTES) {
            return Future.failedFuture(DomainException.invalid(full + " is over " + MAX_BYTES + " bytes"));
        }
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket()).key(full)
            .contentType("application/json").storageClass(StorageClass.STANDARD);
        condition.apply(b);
        PutObjectRequest request = b.build();
        Future<String> put = store.call(() -> s3.putObject(request, AsyncRequestBody.fromBytes(body))
                .exceptionally(t -> {
                    // a lost condition is an answer: turn it into the conflict before the generic mapping
                    if (lost != null && conditionLost(t)) {
                        throw DomainException.conflict(full + " " + lost);
                    }
                    throw t instanceof RuntimeException r ? r : new CompletionException(t);
                }), "PUT " + full)
            .map(r -> S3ObjectStore.bareEtag(r.eTag()));
        if (lost == null) {
            return put;
        }
        return put.recover(t -> DomainException.is(t, DomainException.Kind.TRANSIENT)
            ? settle(full, request, body, lost, t) : Future.failedFuture(t));
    }

    /**
     * A conditional PUT whose answer never came (the connection closed, a timeout): did it write? S3Proxy closes
     * the connection when it refuses a PUT before reading its body, so a lost race can look like a network
     * failure. The document tells: holding our body (its ETag is the MD5 of what we sent), the write happened;
     * moved on to another version, the condition lost; still as expected, nothing happened and the failure stands.
     */
    private Future<String> settle(String full, PutObjectRequest request, byte[] body, String lost, Throwable failure) {
        HeadObjectRequest head = HeadObjectRequest.builder().bucket(bucket()).key(full).build();
        return store.call(() -> s3.headObject(head), "HEAD " + full)
            .map(r -> S3ObjectStore.bareEtag(r.eTag()))
            .recover(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND)
                ? Future.succeededFuture(null) : Future.failedFuture(failure))
            .compose(current -> {
                if (current != null && current.equals(md5Hex(body))) {
                    return Future.succeededFuture(current);
                }
                boolean moved = request.ifNoneMatch() != null ? current != null
                    : current == null || !current.equals(S3ObjectStore.bareEtag(request.ifMatch()));
                return Future.failedFuture(moved ? DomainException.conflict(full + " " + lost) : failure);
            });
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /**
     * 412: the condition is false; 409: a concurrent conditional write won; 404 NoSuchKey: If-Match on a key that
     * is gone (a missing bucket is a 404 too, NoSuchBucket, and stays a fault).
     */
    static boolean conditionLost(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof SdkServiceException s)) {
            return false;
        }
        if (s.statusCode() == 404) {
            return s instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && "NoSuchKey".equals(aws.awsErrorDetails().errorCode());
        }
        return s.statusCode() == 412 || s.statusCode() == 409;
    }
}
