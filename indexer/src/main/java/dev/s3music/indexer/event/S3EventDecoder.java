package dev.s3music.indexer.event;

import dev.s3music.model.Etags;
import dev.s3music.model.Sequencers;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns an SQS message body into catalog changes, with the AWS SDK's {@code s3-event-notifications} reader.
 *
 * <ul>
 *   <li>SNS envelopes ({@code "Type":"Notification"}, the S3 event as a string in {@code Message}) are unwrapped
 *       once;</li>
 *   <li>{@code s3:TestEvent} and bodies without {@code Records} are skipped;</li>
 *   <li>keys are form-URL-encoded by S3 and decoded exactly once; a key whose escapes are not valid UTF-8 makes
 *       the whole message poison (it can never succeed);</li>
 *   <li>{@code ObjectCreated:*} upserts; {@code ObjectRemoved:*} (Delete and DeleteMarkerCreated) and
 *       {@code LifecycleExpiration:*} remove; other event names and other buckets are ignored;</li>
 *   <li>the fields the catalog keeps are checked for S3's shapes (issue 9, item 7): the sequencer 1 to
 *       {@link Sequencers#MAX_LENGTH} hex digits (a forged one stored once refused every later genuine event of
 *       its key), the ETag hex with an optional {@code -N} ({@link Etags#isS3Shaped}: it becomes an
 *       {@code If-Match} to S3 and an HTTP {@code ETag} header, where {@code abc\r\nX-Evil: injected} hung
 *       streams and broke HEAD), the size of an upsert present, non-negative and at most {@link #MAX_SIZE}. A
 *       record that fails makes the whole message poison, as an undecodable key does: S3 never sends one.</li>
 * </ul>
 * Never throws: every body maps to one {@link Decoded}.
 */
public final class S3EventDecoder {

    /** Above S3's largest object (50 TB): a larger size is not an S3 object. */
    static final long MAX_SIZE = 64L << 40;

    private final String bucket;

    /** @param bucket the bucket of the library; records of other buckets are ignored */
    public S3EventDecoder(String bucket) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    public Decoded decode(String body) {
        if (body == null || body.isBlank()) {
            return new Decoded.Poison("empty body");
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new Decoded.Poison("body is not a JSON object");
        }
        if ("Notification".equals(json.getValue("Type")) && json.getValue("Message") instanceof String inner) {
            // S3 -> SNS -> SQS without raw delivery: the S3 event is a JSON string inside the envelope
            return decodeS3(inner, "SNS-wrapped ");
        }
        if ("s3:TestEvent".equals(json.getValue("Event"))) {
            return new Decoded.Skip("s3:TestEvent");
        }
        if (!json.containsKey("Records")) {
            return new Decoded.Skip("no Records");
        }
        return decodeS3(body, "");
    }

    private Decoded decodeS3(String s3Json, String what) {
        S3EventNotification n;
        try {
            n = S3EventNotification.fromJson(s3Json);
        } catch (RuntimeException e) {
            return new Decoded.Poison(what + "body is not an S3 event: " + e.getMessage());
        }
        if (n.getRecords() == null) {
            return new Decoded.Skip(what + "body without Records");
        }
        List<KeyEvent> out = new ArrayList<>();
        int ignored = 0;
        for (S3EventNotificationRecord r : n.getRecords()) {
            KeyEvent.Kind kind = kindOf(r.getEventName());
            if (kind == null || r.getS3() == null || r.getS3().getBucket() == null
                || !bucket.equals(r.getS3().getBucket().getName()) || r.getS3().getObject() == null) {
                ignored++;
                continue;
            }
            S3Object o = r.getS3().getObject();
            if (o.getKey() == null || o.getSequencer() == null || o.getSequencer().isEmpty()) {
                return new Decoded.Poison(what + "record without key or sequencer");
            }
            if (!Sequencers.isWellFormed(o.getSequencer())) {
                return new Decoded.Poison(what + "sequencer is not 1-" + Sequencers.MAX_LENGTH + " hex digits: '"
                    + printable(o.getSequencer()) + "'");
            }
            String key;
            try {
                key = decodeKey(o);
            } catch (IllegalArgumentException e) {
                return new Decoded.Poison(what + "undecodable key '" + o.getKey() + "': " + e.getMessage());
            }
            Instant time = r.getEventTime();
            if (kind == KeyEvent.Kind.REMOVE) {
                out.add(new KeyEvent(kind, key, o.getSequencer(), null, null, time));
                continue;
            }
            Long size = o.getSizeAsLong();
            if (size == null || size < 0 || size > MAX_SIZE) {
                return new Decoded.Poison(what + "size of '" + printable(key) + "' is not 0.." + MAX_SIZE + ": " + size);
            }
            String etag = unquote(o.getETag());
            if (etag != null && !Etags.isS3Shaped(etag)) {
                return new Decoded.Poison(what + "ETag of '" + printable(key) + "' is not an S3 ETag: '"
                    + printable(etag) + "'");
            }
            out.add(new KeyEvent(kind, key, o.getSequencer(), size, etag, time));
        }
        return new Decoded.Events(out, ignored);
    }

    /**
     * The SDK's decoding ({@code URLDecoder}) replaces escapes that are not UTF-8 with U+FFFD instead of failing;
     * S3 escapes every non-ASCII character, so a U+FFFD in the result means the key was not valid.
     */
    static String decodeKey(S3Object o) {
        String decoded = o.getUrlDecodedKey();
        if (decoded.indexOf('\uFFFD') >= 0 && o.getKey().indexOf('\uFFFD') < 0) {
            throw new IllegalArgumentException("escapes are not UTF-8");
        }
        if (decoded.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        return decoded;
    }

    static KeyEvent.Kind kindOf(String eventName) {
        if (eventName == null) {
            return null;
        }
        if (eventName.startsWith("ObjectCreated:")) {
            return KeyEvent.Kind.UPSERT;
        }
        if (eventName.startsWith("ObjectRemoved:") || eventName.startsWith("LifecycleExpiration:")) {
            return KeyEvent.Kind.REMOVE;
        }
        return null;
    }

    /** For reasons that get logged: control characters escaped, bounded (the value came from the queue). */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c >= 0x80 && c < 0xA0) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }

    private static String unquote(String etag) {
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
