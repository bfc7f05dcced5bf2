package dev.s3music.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class BoundedRelayTest {

    private static final int SLICES = 64;
    private static final int SLICE = 32 * 1024;

    @Test
    void relayedOffHeapSlicesReachTheClientAndAreReleased(Vertx vertx, VertxTestContext ctx) throws Throwable {
        List<ByteBuf> handed = new ArrayList<>();
        io.vertx.core.Promise<Void> relayed = io.vertx.core.Promise.promise();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            req.response().putHeader("Content-Length", String.valueOf((long) SLICES * SLICE));
            BoundedRelay.relay(new DirectSource(handed), req.response()).onComplete(relayed);
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        HttpClient client = vertx.createHttpClient();
        client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
            .compose(r -> r.send().compose(resp -> resp.body()))
            .compose(body -> relayed.future().map(body))
            .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
                assertThat(body.length()).isEqualTo(SLICES * SLICE);
                assertThat(body.getByte(SLICE * 3 + 7)).isEqualTo((byte) 3);
                assertThat(handed).hasSize(SLICES).allSatisfy(b -> assertThat(b.refCnt()).isZero());
                ctx.completeNow();
            })));
        assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
        if (ctx.failed()) {
            throw ctx.causeOfFailure();
        }
    }

    /** Emits {@link #SLICES} pooled direct buffers of {@link #SLICE} bytes, slice i filled with i, honouring demand. */
    private static final class DirectSource implements ReadStream<Buffer> {
        private final List<ByteBuf> handed;
        private Handler<Buffer> handler;
        private Handler<Void> endHandler;
        private long demand;
        private int next;
        private boolean ended;

        DirectSource(List<ByteBuf> handed) {
            this.handed = handed;
        }

        private void drain() {
            while (demand > 0 && next < SLICES) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(SLICE);
                for (int i = 0; i < SLICE; i++) {
                    b.writeByte(next);
                }
                handed.add(b);
                next++;
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                handler.handle(BufferInternal.buffer(b));
            }
            if (next == SLICES && !ended) {
                ended = true;
                endHandler.handle(null);
            }
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
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
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
            drain();
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            endHandler = h;
            return this;
        }
    }
}
