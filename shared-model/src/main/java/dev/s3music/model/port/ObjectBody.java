package dev.s3music.model.port;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.function.LongConsumer;

/**
 * An opened object body: exactly {@link #contentLength()} bytes, consumed once, either relayed to a
 * {@link WriteStream} ({@link #relayTo}, the streaming path) or read as a stream of buffers ({@link #stream()}).
 *
 * <p>Buffer lifetimes stay inside the adapter: whatever network buffers it uses (the S3 adapter relays slices of
 * Netty's pooled buffers without copying them), it releases them itself. Nothing a caller receives needs releasing.
 */
public interface ObjectBody {

    long contentLength();

    /**
     * Writes the whole body to {@code out}, with backpressure bounded in bytes (the adapter pauses the store while
     * more than its window is written to {@code out} and not yet acknowledged), then ends {@code out}.
     *
     * <p>The future completes when the end has been written (for an HTTP response: the last byte is on the socket,
     * not merely queued), and fails when either side fails: the store breaks midway and cannot be resumed (see
     * {@link #onResume}), or {@code out} reports an error (a client that went away). On failure the transfer from
     * the store is stopped, as by {@link #cancel()}; {@code out} is not ended.
     *
     * @param sent told the size of each piece once {@code out} has taken it (its write completed): progress
     */
    Future<Void> relayTo(WriteStream<Buffer> out, LongConsumer sent);

    /**
     * The body as a stream of heap buffers the consumer may keep (copies: the garbage collector frees them). For
     * small consumers and tests; {@link #relayTo} is the copy-free path. Starts paused; use it or relayTo, once.
     */
    ReadStream<Buffer> stream();

    /**
     * Tells {@code listener} each time the adapter resumed the body after the store broke midway: it reopens the
     * object at the next byte, guarded by the ETag of the first response, a bounded number of times, invisibly to
     * the consumer ({@link #relayTo}'s {@code out} gets every byte once, in order). Only a changed (or deleted)
     * object, or a store that keeps failing, fails the body. A failure of {@code out} never resumes. For meters;
     * adapters that never resume ignore it. Call before consuming.
     */
    default void onResume(Runnable listener) {
    }

    /** Stops the transfer from the store (client went away); safe to call more than once. */
    Future<Void> cancel();
}
