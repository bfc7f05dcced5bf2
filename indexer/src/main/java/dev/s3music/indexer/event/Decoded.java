package dev.s3music.indexer.event;

import java.util.List;

/** What one SQS message body means to the indexer. */
public sealed interface Decoded {

    /** Changes to apply, in the order of the message (possibly none when every record was ignored). */
    record Events(List<KeyEvent> events, int ignoredRecords) implements Decoded {
        public Events {
            events = List.copyOf(events);
        }
    }

    /** A message with nothing to do (S3 test event, a body without Records): acknowledge it. */
    record Skip(String reason) implements Decoded {
    }

    /** A message that can never be processed (not JSON, a key that does not decode): dead-letter it. */
    record Poison(String reason) implements Decoded {
    }
}
