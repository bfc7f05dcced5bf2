package dev.s3music.indexer.event;

import software.amazon.awssdk.eventnotifications.s3.model.RequestParameters;
import software.amazon.awssdk.eventnotifications.s3.model.ResponseElements;
import software.amazon.awssdk.eventnotifications.s3.model.S3;
import software.amazon.awssdk.eventnotifications.s3.model.UserIdentity;
import software.amazon.awssdk.eventnotifications.s3.model.S3Bucket;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes S3-shaped event notifications (the SDK's model and writer), as S3 would send them to SQS: keys
 * form-URL-encoded segment by segment ({@code /} kept, space as {@code +}). Used by the embedded default's folder
 * watcher and by tests.
 */
public final class S3EventJson {

    private static final String PRINCIPAL = "s3music-local";

    private S3EventJson() {
    }

    /** The key as S3 writes it in a notification. */
    public static String encodeKey(String key) {
        StringBuilder b = new StringBuilder();
        String[] parts = key.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append('/');
            }
            b.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public static String created(String bucket, String key, long size, String etag, String sequencer, Instant time) {
        return event(bucket, "ObjectCreated:Put", new S3Object(encodeKey(key), size, etag, null, sequencer), time);
    }

    public static String removed(String bucket, String key, String sequencer, Instant time) {
        return event(bucket, "ObjectRemoved:Delete", new S3Object(encodeKey(key), null, null, null, sequencer), time);
    }

    public static String event(String bucket, String eventName, S3Object object, Instant time) {
        S3EventNotificationRecord r = new S3EventNotificationRecord();
        r.setEventVersion("2.1");
        r.setEventSource("aws:s3");
        r.setAwsRegion("us-east-1");
        r.setEventName(eventName);
        r.setEventTime(time);
        r.setUserIdentity(new UserIdentity(PRINCIPAL));
        r.setRequestParameters(new RequestParameters("127.0.0.1"));
        r.setResponseElements(new ResponseElements("s3music-local", "s3music-local"));
        // the SDK writer needs every part S3 always sends, the owner identity included
        r.setS3(new S3("s3music-local", new S3Bucket(bucket, new UserIdentity(PRINCIPAL), "arn:aws:s3:::" + bucket),
            object, "1.0"));
        return new S3EventNotification(List.of(r)).toJson();
    }
}
