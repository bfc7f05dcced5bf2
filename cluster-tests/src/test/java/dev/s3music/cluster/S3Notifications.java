package dev.s3music.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 event notifications S3 would send to SQS for what the test uploads (S3Proxy sends none), shaped like
 * {@code shared/fixtures/s3events/put.json}: keys form-URL-encoded as S3 does ("a b+c" -> "a+b%2Bc", '/' kept),
 * and a sequencer per event that grows with every event of the test, as S3's does per key.
 */
final class S3Notifications {

    private final String bucket;
    private final String region;
    /** S3 sequencers are hex strings; ours start from the clock so a rerun over the same Redis still grows. */
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);

    S3Notifications(String bucket, String region) {
        this.bucket = bucket;
        this.region = region;
    }

    /** The body of one {@code ObjectCreated:Put} notification. */
    String created(String key, long size, String eTag) {
        JsonObject object = new JsonObject()
            .put("key", encodeKey(key))
            .put("size", size)
            .put("eTag", unquote(eTag))
            .put("sequencer", nextSequencer());
        return body("ObjectCreated:Put", object);
    }

    /** The body of one {@code ObjectRemoved:Delete} notification. */
    String removed(String key) {
        return body("ObjectRemoved:Delete", new JsonObject().put("key", encodeKey(key)).put("sequencer", nextSequencer()));
    }

    private String body(String eventName, JsonObject object) {
        JsonObject record = new JsonObject()
            .put("eventVersion", "2.1")
            .put("eventSource", "aws:s3")
            .put("awsRegion", region)
            .put("eventTime", Instant.now().toString())
            .put("eventName", eventName)
            .put("userIdentity", new JsonObject().put("principalId", "AWS:CLUSTERTEST"))
            .put("requestParameters", new JsonObject().put("sourceIPAddress", "127.0.0.1"))
            .put("responseElements", new JsonObject().put("x-amz-request-id", Long.toHexString(System.nanoTime())))
            .put("s3", new JsonObject()
                .put("s3SchemaVersion", "1.0")
                .put("configurationId", "music-events")
                .put("bucket", new JsonObject().put("name", bucket).put("arn", "arn:aws:s3:::" + bucket)
                    .put("ownerIdentity", new JsonObject().put("principalId", "CLUSTERTEST")))
                .put("object", object));
        return new JsonObject().put("Records", new JsonArray().add(record)).encode();
    }

    private String nextSequencer() {
        return String.format("%018X", sequencer.incrementAndGet());
    }

    /** S3's notification key encoding: form-URL-encoding (space as '+'), with '/' left as is. */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String unquote(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }
}
