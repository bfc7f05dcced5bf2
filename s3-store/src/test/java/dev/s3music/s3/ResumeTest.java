package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.port.ObjectBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 9, items 4 and 7 in the S3 adapter: a body resumed when S3 breaks midway (S3Proxy behind a
 * {@link CountingTcpProxy} that cuts connections after N bytes), and a request that cannot be built failing at once.
 */
@ExtendWith(VertxExtension.class)
class ResumeTest {

    private static final String BUCKET = "music";
    private static final String KEY = "Resume/Album/01 six megabytes.flac";
    private static final byte[] CONTENT = S3TestSupport.randomBytes(6 * 1024 * 1024 + 77, 21);

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport support;

    CountingTcpProxy proxy;
    S3ObjectStore store;

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

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        proxy = CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
    }

    @AfterEach
    void stop() {
        store.close();
        proxy.close();
    }

    @Test
    void streamsAWholeObjectByteExactThroughTwoCuts(Vertx vertx) throws Exception {
        proxy.cutAfter(1024 * 1024, 2);
        Relayed r = relay(vertx, KEY, null).await(60, TimeUnit.SECONDS);
        assertThat(r.failure).isNull();
        assertThat(r.bytes.getBytes()).isEqualTo(CONTENT);
        assertThat(r.ended).as("the writer was ended once").isTrue();
        assertThat(proxy.cuts()).isEqualTo(2);
        assertThat(r.resumes).isEqualTo(2);
        assertThat(proxy.connections()).isEqualTo(3);
    }

    @Test
    void resumesARangedRequestWithinItsRange(Vertx vertx) throws Exception {
        ByteRange range = new ByteRange(1_000, 5 * 1024 * 1024 + 3);
        proxy.cutAfter(700 * 1024, 1);
        Relayed r = relay(vertx, KEY, range).await(60, TimeUnit.SECONDS);
        assertThat(r.failure).isNull();
        assertThat(r.bytes.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 1_000, (int) range.last() + 1));
        assertThat(r.resumes).isEqualTo(1);
        // the resumed GET asked for the rest of the range only: nothing past its end came from S3
        assertThat(proxy.bytesFromServer()).isLessThan(range.length() + 4096);
    }

    @Test
    void anObjectChangedBetweenCutAndResumeEndsTheStream(Vertx vertx) throws Exception {
        String key = "Resume/Album/02 changes.flac";
        byte[] before = S3TestSupport.randomBytes(5 * 1024 * 1024, 22);
        byte[] after = S3TestSupport.randomBytes(5 * 1024 * 1024, 23);
        support.put(key, before);
        // overwritten while the stream is cut: the reconnect waits until the new version is in place
        proxy.cutAfter(1024 * 1024, 1, () -> vertx.executeBlocking(() -> support.put(key, after)).mapEmpty());
        Relayed r = relay(vertx, key, null).await(60, TimeUnit.SECONDS);
        assertThat(r.failure).isNotNull();
        assertThat(DomainException.is(r.failure, DomainException.Kind.PRECONDITION_FAILED)).as("%s", r.failure).isTrue();
        assertThat(r.ended).as("the writer of a broken stream is not ended").isFalse();
        assertThat(r.bytes.length()).isLessThan(1024 * 1024).isPositive();
        assertThat(r.bytes.getBytes()).isEqualTo(Arrays.copyOf(before, r.bytes.length()));
        assertThat(r.resumes).isZero();
    }

    @Test
    void aConnectionThatKeepsBreakingFailsTheStreamAfterBoundedResumes(Vertx vertx) throws Exception {
        proxy.cutAfter(256 * 1024, 1_000);
        Relayed r = relay(vertx, KEY, null).await(60, TimeUnit.SECONDS);
        assertThat(DomainException.is(r.failure, DomainException.Kind.TRANSIENT)).as("%s", r.failure).isTrue();
        assertThat(r.resumes).isEqualTo(ResumingBody.MAX_RESUMES);
        assertThat(proxy.connections()).isEqualTo(ResumingBody.MAX_RESUMES + 1);
        assertThat(r.bytes.getBytes()).isEqualTo(Arrays.copyOf(CONTENT, r.bytes.length()));
    }

    @Test
    void aListenerThatFailsIsNeverResumed(Vertx vertx) throws Exception {
        java.io.IOException gone = new java.io.IOException("listener went away");
        Future<Throwable> relayed = onContext(vertx, () -> store.open(KEY, null, null).compose(body -> {
            AtomicInteger resumes = new AtomicInteger();
            body.onResume(resumes::incrementAndGet);
            CollectingWriter out = new CollectingWriter() {
                @Override
                public Future<Void> write(Buffer data) {
                    super.write(data);
                    return received.length() > 512 * 1024 ? Future.failedFuture(gone) : Future.succeededFuture();
                }
            };
            return body.relayTo(out, n -> { }).transform(ar -> Future.succeededFuture(ar.cause()));
        }));
        assertThat(relayed.await(30, TimeUnit.SECONDS)).isSameAs(gone);
        // longer than any backoff before a reopen (at most BACKOFF_MAX_MS): still the one connection, closed
        S3ObjectStoreTest.waitUntil(vertx, () -> proxy.openUpstream() == 0, 250).await(10, TimeUnit.SECONDS);
        Thread.sleep(ResumingBody.BACKOFF_MAX_MS + 500);
        assertThat(proxy.connections()).isEqualTo(1);
        assertThat(proxy.openUpstream()).isZero();
    }

    @Test
    void anEtagWithALineBreakFailsTheOpenAtOnce(Vertx vertx) {
        Future<ObjectBody> opened = onContext(vertx, () -> store.open(KEY, null, "abc\r\nX-Evil: injected"));
        assertThatThrownBy(() -> opened.await(30, TimeUnit.SECONDS))
            .satisfies(t -> assertThat(DomainException.is(t, DomainException.Kind.INVALID)).as("%s", t).isTrue());
        assertThat(proxy.connections()).as("nothing was sent to S3").isZero();
    }

    @Test
    void aHeaderNettyRefusesFailsTheRequestAtOnceNotAfterTheHeadTimeout(Vertx vertx) throws Exception {
        // a head timeout far longer than the wait: only an immediate failure passes
        S3StreamClient client = new S3StreamClient(vertx, 5_000, 600_000, 600);
        try {
            URL url = URI.create("http://127.0.0.1:" + proxy.port() + "/" + BUCKET + "/x").toURL();
            Map<String, List<String>> headers = Map.of("If-Match", List.of("\"abc\"\r\nX-Evil: injected"));
            Future<S3StreamClient.Body> got = onContext(vertx, () -> client.get(url, headers, false,
                status -> new IllegalStateException("status " + status)));
            assertThatThrownBy(() -> got.await(30, TimeUnit.SECONDS))
                .satisfies(t -> assertThat(DomainException.is(t, DomainException.Kind.INVALID)).as("%s", t).isTrue());
        } finally {
            client.close();
        }
    }

    // ---- helpers ----

    private static <T> Future<T> onContext(Vertx vertx, java.util.function.Supplier<Future<T>> call) {
        Promise<T> p = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(p));
        return p.future();
    }

    /** What a relay of an object produced: the bytes the writer got, whether it was ended, the outcome. */
    private record Relayed(Buffer bytes, boolean ended, Throwable failure, int resumes) {
    }

    private Future<Relayed> relay(Vertx vertx, String key, ByteRange range) {
        return onContext(vertx, () -> store.open(key, range, null).compose(body -> {
            AtomicInteger resumes = new AtomicInteger();
            body.onResume(resumes::incrementAndGet);
            CollectingWriter out = new CollectingWriter();
            return body.relayTo(out, n -> { }).transform(ar ->
                Future.succeededFuture(new Relayed(out.received, out.ended, ar.cause(), resumes.get())));
        }));
    }

    /** A writer that takes everything at once (copies, since the relay releases each slice once written). */
    static class CollectingWriter implements WriteStream<Buffer> {
        final Buffer received = Buffer.buffer();
        boolean ended;

        @Override
        public Future<Void> write(Buffer data) {
            received.appendBuffer(data.copy());
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> end() {
            ended = true;
            return Future.succeededFuture();
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
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
