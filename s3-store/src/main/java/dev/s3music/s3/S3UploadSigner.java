package dev.s3music.s3;

import dev.s3music.model.DomainException;
import dev.s3music.model.UploadPart;
import dev.s3music.model.port.UploadSigner;
import io.vertx.core.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.UploadPartPresignRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The {@link UploadSigner} port on S3: create, list parts, complete and abort through the {@link S3ObjectStore}'s
 * async client; part URLs from its {@link S3Presigner} (SigV4 query signature over method, host, path, upload id and
 * part number: a URL altered in any of them is refused by S3), pointing at the store's endpoint (the embedded S3's
 * loopback address, or S3's regional endpoint).
 */
final class S3UploadSigner implements UploadSigner {

    /** ListParts pages: 1,000 parts each, so 10 pages hold the most parts an upload can have. */
    private static final int MAX_LIST_PAGES = MAX_PARTS / 1000 + 1;

    private final S3ObjectStore store;
    private final S3AsyncClient s3;
    private final S3Presigner presigner;

    S3UploadSigner(S3ObjectStore store, S3AsyncClient s3, S3Presigner presigner) {
        this.store = store;
        this.s3 = s3;
        this.presigner = presigner;
    }

    private String bucket() {
        return store.bucket();
    }

    @Override
    public Future<String> create(String key, String contentType) {
        CreateMultipartUploadRequest request = CreateMultipartUploadRequest.builder().bucket(bucket()).key(key)
            .contentType(contentType).build();
        return store.call(() -> s3.createMultipartUpload(request), "CREATE UPLOAD " + key)
            .map(r -> r.uploadId());
    }

    @Override
    public Future<Map<Integer, String>> signParts(String key, String uploadId, List<Integer> partNumbers,
                                                  Duration validity) {
        return store.credentials().compose(creds -> {
            Map<Integer, String> urls = new LinkedHashMap<>();
            try {
                for (int n : partNumbers) {
                    UploadPartRequest part = UploadPartRequest.builder().bucket(bucket()).key(key)
                        .uploadId(uploadId).partNumber(n).build();
                    urls.put(n, presigner.presignUploadPart(UploadPartPresignRequest.builder()
                        .signatureDuration(validity).uploadPartRequest(part).build()).url().toString());
                }
            } catch (RuntimeException e) {
                return Future.failedFuture(DomainException.invalid("cannot sign parts of " + key + ": " + e.getMessage()));
            }
            return Future.succeededFuture(urls);
        });
    }

    @Override
    public Future<List<UploadPart>> listParts(String key, String uploadId) {
        return listFrom(key, uploadId, null, new ArrayList<>(), 0);
    }

    private Future<List<UploadPart>> listFrom(String key, String uploadId, Integer marker, List<UploadPart> out,
                                              int page) {
        ListPartsRequest request = ListPartsRequest.builder().bucket(bucket()).key(key).uploadId(uploadId)
            .partNumberMarker(marker).maxParts(1000).build();
        return store.call(() -> s3.listParts(request), "LIST PARTS " + key).compose((ListPartsResponse r) -> {
            r.parts().forEach(p -> out.add(new UploadPart(p.partNumber(), S3ObjectStore.bareEtag(p.eTag()),
                p.size() == null ? -1 : p.size())));
            boolean more = Boolean.TRUE.equals(r.isTruncated()) && r.nextPartNumberMarker() != null
                && page + 1 < MAX_LIST_PAGES;
            return more ? listFrom(key, uploadId, r.nextPartNumberMarker(), out, page + 1)
                : Future.succeededFuture(List.copyOf(out));
        });
    }

    @Override
    public Future<Void> complete(String key, String uploadId, List<UploadPart> parts) {
        List<CompletedPart> completed = parts.stream()
            .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(S3ObjectStore.quotedEtag(p.etag())).build())
            .toList();
        CompleteMultipartUploadRequest request = CompleteMultipartUploadRequest.builder().bucket(bucket()).key(key)
            .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()).build();
        String what = "COMPLETE UPLOAD " + key;
        return store.call(() -> refusedAsInvalid(s3.completeMultipartUpload(request), what), what).mapEmpty();
    }

    @Override
    public Future<Void> abort(String key, String uploadId) {
        AbortMultipartUploadRequest request = AbortMultipartUploadRequest.builder().bucket(bucket()).key(key)
            .uploadId(uploadId).build();
        return store.call(() -> s3.abortMultipartUpload(request), "ABORT UPLOAD " + key).mapEmpty();
    }

    /** S3's 400 to a completion (InvalidPart, InvalidPartOrder, EntityTooSmall) is the caller's mistake. */
    private static <T> CompletableFuture<T> refusedAsInvalid(CompletableFuture<T> cf, String what) {
        return cf.exceptionally(t -> {
            Throwable cause = t;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof AwsServiceException aws && aws.statusCode() == 400) {
                String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
                throw DomainException.invalid(what + " refused by S3: " + (code == null ? "400" : code));
            }
            throw t instanceof RuntimeException r ? r : new CompletionException(t);
        });
    }
}
