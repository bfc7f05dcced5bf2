package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ObjectBody.relayTo} through the real S3 client: the copy-free path of the port. The release of every
 * pooled slice is proven by {@link BoundedRelayTest}; here, against S3Proxy: the bytes, the byte bound on what is
 * written and not yet acknowledged, completion only once the end is written, and a writer failure stopping S3.
 */
@ExtendWith(VertxExtension.class)
class RelayToTest {

    private static final String BUCKET = "music";
    private static final String KEY = "Relay/Album/01 two megabytes.flac";
    private static final byte[] CONTENT = S3TestSupport.randomBytes(2 * 1024 * 1024 + 123, 11);

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport support;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        support = new S3TestSupport(s3, BUCKET);
        support.put(KEY, CONTENT);
    }

    @AfterAll
    static void stopS3() throws Exception {
        support.close();
        s3.close();
    }

    @Test
    void relaysEveryByteWithABoundedWindowAndCompletesOnlyOnceTheEndIsWritten(Vertx vertx, VertxTestContext tc)
        throws Throwable {
        S3ObjectStore store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        HeldWriter out = new HeldWriter();
        AtomicLong progress = new AtomicLong();
        ByteRange range = new ByteRange(1000, CONTENT.length - 1);
        vertx.getOrCreateContext().runOnContext(x -> store.open(KEY, range, null).onComplete(tc.succeeding(body -> {
            Future<Void> relayed = body.relayTo(out, progress::addAndGet);
            // a slow client: acknowledge what waits, a little at a time, until the end was asked for
            long timer = vertx.setPeriodic(2, t -> out.ackOne());
            out.endAsked.future().onComplete(v -> tc.verify(() -> {
                vertx.cancelTimer(timer);
                out.ackAll();
                assertThat(relayed.isComplete()).as("complete before the end is written").isFalse();
                out.endWritten.complete();
                relayed.onComplete(tc.succeeding(done -> tc.verify(() -> {
                    assertThat(out.received.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, CONTENT.length));
                    assertThat(progress.get()).isEqualTo(range.length());
                    assertThat(out.maxUnacknowledged).as("bytes written and not yet acknowledged")
                        .isLessThanOrEqualTo(BoundedRelay.MAX_IN_FLIGHT + S3StreamClient.SLICE);
                    store.close();
                    tc.completeNow();
                })));
            }));
        })));
        assertThat(tc.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
        if (tc.failed()) {
            throw tc.causeOfFailure();
        }
    }

    @Test
    void aWriterThatFailsFailsTheRelayAndStopsTheS3Transfer(Vertx vertx, VertxTestContext tc) throws Throwable {
        String big = "Relay/Album/02 big.flac";
        int size = 32 * 1024 * 1024;
        support.put(big, S3TestSupport.randomBytes(size, 12));
        CountingTcpProxy proxy = CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort())
            .await(5, TimeUnit.SECONDS);
        S3ObjectStore viaProxy = S3ObjectStore.create(vertx,
            S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
        HeldWriter out = new HeldWriter();
        vertx.getOrCreateContext().runOnContext(x -> viaProxy.open(big, null, null).onComplete(tc.succeeding(body -> {
            Future<Void> relayed = body.relayTo(out, n -> { });
            long timer = vertx.setPeriodic(2, t -> {
                if (out.received.length() >= 256 * 1024) {
                    out.fail(new IOException("client went away"));
                } else {
                    out.ackAll();
                }
            });
            relayed.onComplete(tc.failing(t -> {
                vertx.cancelTimer(timer);
                tc.verify(() -> assertThat(t).hasMessage("client went away"));
                S3ObjectStoreTest.waitUntil(vertx, () -> proxy.openUpstream() == 0, 250)
                    .onComplete(tc.succeeding(v -> tc.verify(() -> {
                        assertThat(proxy.bytesFromServer()).as("bytes S3 sent of %d", size).isLessThan(size / 4);
                        assertThat(out.endAsked.future().isComplete()).as("end() after a failure").isFalse();
                        viaProxy.close();
                        proxy.close();
                        tc.completeNow();
                    })));
            }));
        })));
        assertThat(tc.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
        if (tc.failed()) {
            throw tc.causeOfFailure();
        }
    }

    /**
     * A client socket the test drives: each write is copied at once (the relay releases the slice once the write's
     * future completes) and acknowledged when the test says so.
     */
    private static final class HeldWriter implements WriteStream<Buffer> {
        final Buffer received = Buffer.buffer();
        final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
        final ArrayDeque<Integer> sizes = new ArrayDeque<>();
        final Promise<Void> endAsked = Promise.promise();
        final Promise<Void> endWritten = Promise.promise();
        long unacknowledged;
        long maxUnacknowledged;
        Handler<Throwable> exceptionHandler;

        @Override
        public Future<Void> write(Buffer data) {
            received.appendBuffer(data.copy());
            unacknowledged += data.length();
            maxUnacknowledged = Math.max(maxUnacknowledged, unacknowledged);
            Promise<Void> p = Promise.promise();
            waiting.add(p);
            sizes.add(data.length());
            return p.future();
        }

        void ackOne() {
            Promise<Void> p = waiting.poll();
            if (p != null) {
                unacknowledged -= sizes.poll();
                p.complete();
            }
        }

        void ackAll() {
            while (!waiting.isEmpty()) {
                ackOne();
            }
        }

        void fail(Throwable t) {
            while (!waiting.isEmpty()) {
                sizes.poll();
                waiting.poll().tryFail(t);
            }
            if (exceptionHandler != null) {
                exceptionHandler.handle(t);
            }
        }

        @Override
        public Future<Void> end() {
            endAsked.tryComplete();
            return endWritten.future();
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            exceptionHandler = handler;
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
