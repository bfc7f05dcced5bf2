package dev.s3music.indexer.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One S3 change of one key, decoded: what the catalog has to do.
 *
 * @param kind      upsert (object created) or remove (deleted, or hidden by a delete marker)
 * @param key       the exact S3 key, URL-decoded once
 * @param sequencer the S3 sequencer that orders the events of this key
 * @param size      object size (null for removals)
 * @param etag      ETag without quotes (null for removals, or when the sender had none)
 * @param eventTime when S3 saw the change
 */
public record KeyEvent(Kind kind, String key, String sequencer, Long size, String etag, Instant eventTime) {

    public enum Kind { UPSERT, REMOVE }

    public KeyEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sequencer, "sequencer");
    }
}
