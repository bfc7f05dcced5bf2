package dev.s3music.model.port;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * An opened object body. Exactly {@link #contentLength()} bytes flow through {@link #stream()}.
 *
 * <p>The S3 adapter hands over its network buffers without copying them (they may be pooled, off-heap): a consumer
 * releases each buffer once it is done with it, as the API's relay does after each write completes.
 */
public interface ObjectBody {

    long contentLength();

    ReadStream<Buffer> stream();

    /** Stops the transfer from the store (client went away); safe to call more than once. */
    Future<Void> cancel();
}
