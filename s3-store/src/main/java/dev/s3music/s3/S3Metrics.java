package dev.s3music.s3;

import dev.s3music.model.cost.S3Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The S3 usage meters ({@link S3Meters}): every request this store sends, by kind, and the body bytes it reads,
 * counted where they happen. The SDK's control calls (head, list, small reads, documents) are counted by an
 * {@link ExecutionInterceptor} on the client, once per HTTP attempt (a retry is another billed request); the
 * streaming GETs of {@link S3StreamClient} by the client itself; links handed out by {@link #linked}.
 */
final class S3Metrics {

    private final Map<S3Meters.Kind, Counter> requests = new EnumMap<>(S3Meters.Kind.class);
    private final Counter readBytes;
    private final Counter s3Links;
    private final Counter s3LinkBytes;
    private final Counter cloudFrontLinks;
    private final Counter cloudFrontLinkBytes;

    S3Metrics(MeterRegistry registry) {
        MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
        for (S3Meters.Kind kind : S3Meters.Kind.values()) {
            requests.put(kind, Counter.builder(S3Meters.REQUESTS).tag(S3Meters.KIND, kind.tag())
                .description("requests sent to S3, by kind (every attempt)").register(r));
        }
        readBytes = Counter.builder(S3Meters.READ_BYTES).baseUnit("bytes")
            .description("body bytes read from S3 (Standard-IA retrieval)").register(r);
        s3Links = links(r, S3Meters.TARGET_S3);
        s3LinkBytes = linkBytes(r, S3Meters.TARGET_S3);
        cloudFrontLinks = links(r, S3Meters.TARGET_CLOUDFRONT);
        cloudFrontLinkBytes = linkBytes(r, S3Meters.TARGET_CLOUDFRONT);
    }

    private static Counter links(MeterRegistry r, String target) {
        return Counter.builder(S3Meters.LINKS).tag(S3Meters.TARGET, target)
            .description("signed links handed out (redirect mode)").register(r);
    }

    private static Counter linkBytes(MeterRegistry r, String target) {
        return Counter.builder(S3Meters.LINK_BYTES).tag(S3Meters.TARGET, target).baseUnit("bytes")
            .description("bytes of the objects or ranges the signed links grant").register(r);
    }

    void request(S3Meters.Kind kind) {
        requests.get(kind).increment();
    }

    void read(long bytes) {
        if (bytes > 0) {
            readBytes.increment(bytes);
        }
    }

    /** A signed link handed out: to S3 ({@code cloudFront} false) or to the CloudFront edge. */
    void linked(boolean cloudFront, long bytes) {
        (cloudFront ? cloudFrontLinks : s3Links).increment();
        if (bytes > 0) {
            (cloudFront ? cloudFrontLinkBytes : s3LinkBytes).increment(bytes);
        }
    }

    /** Counts the SDK's requests by kind, per attempt, and the body bytes of its GETs (their Content-Length). */
    ExecutionInterceptor interceptor() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                S3Meters.Kind kind = kindOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    context.httpRequest());
                if (kind != null) {
                    request(kind);
                }
            }

            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().method() == SdkHttpMethod.GET
                    && context.httpResponse().isSuccessful()
                    && Objects.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), "GetObject")) {
                    context.httpResponse().firstMatchingHeader("Content-Length").ifPresent(v -> {
                        try {
                            read(Long.parseLong(v.strip()));
                        } catch (NumberFormatException ignored) {
                            // a malformed length bills nothing we could know of
                        }
                    });
                }
            }
        };
    }

    /** The price class of one SDK operation; null for operations that are not object or bucket requests. */
    static S3Meters.Kind kindOf(String operation, SdkHttpRequest http) {
        if (operation == null) {
            return null;
        }
        return switch (operation) {
            case "GetObject" -> http.firstMatchingHeader("Range").isPresent() ? S3Meters.Kind.GET_RANGED : S3Meters.Kind.GET_FULL;
            case "HeadObject", "HeadBucket" -> S3Meters.Kind.HEAD;
            case "ListObjectsV2", "ListObjects" -> S3Meters.Kind.LIST;
            case "PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" -> S3Meters.Kind.PUT;
            case "DeleteObject", "DeleteObjects" -> S3Meters.Kind.DELETE;
            default -> switch (http.method()) {
                case GET -> S3Meters.Kind.GET_FULL;
                case HEAD -> S3Meters.Kind.HEAD;
                case DELETE -> S3Meters.Kind.DELETE;
                default -> S3Meters.Kind.PUT;
            };
        };
    }
}
