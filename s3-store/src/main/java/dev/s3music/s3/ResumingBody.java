package dev.s3music.s3;

import dev.s3music.model.Backoff;
import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.port.ObjectBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;
import java.util.function.LongConsumer;

/**
 * The port's {@link ObjectBody}: one S3 response body, resumed when S3 breaks midway (issue 9, item 4).
 *
 * <p>When the S3 side fails after the response head arrived (connection closed or reset, idle timeout, a broken
 * chunk) and before the body's end, it opens the same object again at the next byte the consumer has not been
 * given, {@code bytes=<next>-<last of the original range>}, with {@code If-Match} on the ETag of the first response,
 * and feeds the new body to the same consumer: the consumer (the relay to the listener) sees one stream, every byte
 * once, in order. Bounded: {@link #MAX_ATTEMPTS} reopen attempts in a row without a byte delivered in between, with
 * a jittered backoff, and {@link #MAX_RESUMES} per body. A 412 or 404 on a reopen (the object changed or is gone)
 * ends the stream with that failure: a body never mixes two versions. Without an ETag (S3Proxy's hand-placed files)
 * nothing guards a reopen, so such a body does not resume.
 *
 * <p>Only the S3 side resumes: a failure of the consumer ({@link #relayTo}'s {@code out}) cancels the body, and a
 * cancelled body never reopens. Bytes read from a broken connection but not yet handed over are dropped with it
 * (and read again): the offset counts only what the consumer received.
 *
 * <p>Runs on the caller's context, like the bodies it strings together; no field is shared between threads.
 */
final class ResumingBody implements ObjectBody, ReadStream<Buffer> {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingBody.class);

    /** Reopen attempts in a row with no byte delivered in between: a store down for good fails the stream soon. */
    static final int MAX_ATTEMPTS = 3;
    /** Resumes of one body in all: a connection that keeps breaking is not worth hiding. */
    static final int MAX_RESUMES = 8;
    /** First pause before a reopen; doubles per attempt, jittered ({@link Backoff}), at most {@link #BACKOFF_MAX_MS}. */
    static final long BACKOFF_BASE_MS = 100;
    static final long BACKOFF_MAX_MS = 1_000;

    private final Vertx vertx;
    private final String what;
    /** The absolute bytes of the object this body is: the original range, or the whole object. */
    private final ByteRange range;
    /** The ETag of the first response, bare; null: no resume. */
    private final String etag;
    /** Opens {@code range} of the object with {@code If-Match: etag}. */
    private final BiFunction<ByteRange, String, Future<S3StreamClient.Body>> reopen;
    private final long contentLength;

    private S3StreamClient.Body current;
    /** Bytes handed to the consumer: the next byte to ask for is {@code range.first() + delivered}. */
    private long delivered;
    private int attempts;
    private int resumes;
    private long retryTimer = -1;
    private boolean heapCopies;
    private boolean cancelled;
    private boolean ended;
    private boolean failed;
    private long demand;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Runnable resumeListener = () -> { };

    /**
     * @param range  the bytes of the object {@code first} is (null: the whole object)
     * @param etag   bare ETag that guards a reopen (null: never resume)
     */
    ResumingBody(Vertx vertx, String what, S3StreamClient.Body first, ByteRange range, String etag,
                 BiFunction<ByteRange, String, Future<S3StreamClient.Body>> reopen) {
        this.vertx = vertx;
        this.what = what;
        this.contentLength = first.contentLength();
        this.range = range != null ? range : contentLength > 0 ? new ByteRange(0, contentLength - 1) : null;
        this.etag = etag;
        this.reopen = reopen;
        this.current = first;
        wire(first);
    }

    private void wire(S3StreamClient.Body body) {
        body.heapCopies(heapCopies);
        body.handler(buffer -> {
            if (body != current || cancelled) {
                release(buffer);
                return;
            }
            delivered += buffer.length();
            attempts = 0;
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            Handler<Buffer> h = handler;
            if (h != null) {
                h.handle(buffer);
            } else {
                release(buffer);
            }
        });
        body.endHandler(v -> {
            if (body != current || cancelled || ended || failed) {
                return;
            }
            ended = true;
            Handler<Void> h = endHandler;
            if (h != null) {
                h.handle(null);
            }
        });
        body.exceptionHandler(t -> {
            if (body == current) {
                broke(t);
            }
        });
    }

    private void release(Buffer buffer) {
        if (!heapCopies) {
            BoundedRelay.releaseIfOffHeap(buffer);
        }
    }

    /** The S3 side failed midway: reopen at the next byte, after a pause, or give up. */
    private void broke(Throwable t) {
        if (cancelled || ended || failed) {
            return;
        }
        if (etag == null || range == null || delivered >= range.length() || resumes >= MAX_RESUMES
            || attempts >= MAX_ATTEMPTS) {
            fail(t instanceof DomainException ? t : DomainException.transientFailure(
                "S3 broke at byte " + (delivered) + " of " + what + (etag == null ? " (no ETag, not resumed)"
                    : " after " + resumes + " resumes") + ": " + t.getMessage(), t));
            return;
        }
        long pause = Backoff.jittered(BACKOFF_BASE_MS, BACKOFF_MAX_MS, attempts);
        attempts++;
        long next = range.first() + delivered;
        LOG.debug("S3 broke at byte {} of {} ({}); reopening in {} ms", next, what, t.toString(), pause);
        retryTimer = vertx.setTimer(pause, id -> {
            retryTimer = -1;
            reopenAt(next);
        });
    }

    private void reopenAt(long next) {
        if (cancelled || failed) {
            return;
        }
        ByteRange rest = new ByteRange(next, range.last());
        reopen.apply(rest, etag).onComplete(ar -> {
            if (cancelled || failed) {
                if (ar.succeeded()) {
                    ar.result().cancel();
                }
                return;
            }
            if (ar.failed()) {
                Throwable t = ar.cause();
                if (DomainException.is(t, DomainException.Kind.PRECONDITION_FAILED)
                    || DomainException.is(t, DomainException.Kind.NOT_FOUND)) {
                    // the object changed (or went) since the first byte: never splice two versions
                    LOG.info("{} changed while streaming (byte {}): the stream ends", what, next);
                    fail(t);
                } else {
                    broke(t);
                }
                return;
            }
            S3StreamClient.Body body = ar.result();
            if (body.contentLength() != rest.length()) {
                body.cancel();
                fail(DomainException.transientFailure("S3 resumed " + what + " with " + body.contentLength()
                    + " bytes, not " + rest.length(), null));
                return;
            }
            current = body;
            resumes++;
            wire(body);
            LOG.info("resumed {} at byte {} ({} of {})", what, next, resumes, MAX_RESUMES);
            resumeListener.run();
            if (demand > 0) {
                body.fetch(demand);
            }
        });
    }

    private void fail(Throwable t) {
        if (failed) {
            return;
        }
        failed = true;
        current.cancel();
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
            h.handle(t);
        }
    }

    // ---- ObjectBody ----

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public ReadStream<Buffer> stream() {
        heapCopies = true;
        current.heapCopies(true);
        return this;
    }

    /** The copy-free path: retained slices go to {@link BoundedRelay}, which releases each once written. */
    @Override
    public Future<Void> relayTo(WriteStream<Buffer> out, LongConsumer sent) {
        heapCopies = false;
        current.heapCopies(false);
        return BoundedRelay.relay(this, out, sent).onFailure(t -> cancel());
    }

    @Override
    public void onResume(Runnable listener) {
        this.resumeListener = listener != null ? listener : () -> { };
    }

    @Override
    public Future<Void> cancel() {
        cancelled = true;
        if (retryTimer != -1) {
            vertx.cancelTimer(retryTimer);
            retryTimer = -1;
        }
        return current.cancel();
    }

    // ---- ReadStream ----

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        handler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        current.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        current.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        endHandler = h;
        return this;
    }
}
