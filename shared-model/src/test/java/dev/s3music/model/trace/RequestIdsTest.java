package dev.s3music.model.trace;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class RequestIdsTest {

    private static final String ADDRESS = "test.request-ids";

    @Test
    void messageIdFollowsTheConsumersCallbacksAndStaysWithItsMessage(Vertx vertx, VertxTestContext ctx) {
        List<String> seen = new CopyOnWriteArrayList<>();
        vertx.eventBus().<String>consumer(ADDRESS, msg -> {
            RequestIds.adopt(msg);
            // an async hop: the callback runs on the same duplicated context, so the id is still there
            vertx.setTimer(20, t -> {
                seen.add(msg.body() + "=" + RequestIds.current());
                msg.reply(RequestIds.current() == null ? "none" : RequestIds.current());
            });
        }).completion().compose(v -> vertx.eventBus().request(ADDRESS, "a",
                new DeliveryOptions().addHeader(RequestIds.HEADER, "req-1")))
            .compose(a -> vertx.eventBus().request(ADDRESS, "b"))
            .onComplete(ctx.succeeding(b -> ctx.verify(() -> {
                assertThat(seen).containsExactly("a=req-1", "b=null");
                assertThat(b.body()).isEqualTo("none");
                ctx.completeNow();
            })));
    }

    @Test
    void acceptsSaneClientIdsAndReplacesOthers() {
        assertThat(RequestIds.acceptOrCreate("abc-123_x.y")).isEqualTo("abc-123_x.y");
        assertThat(RequestIds.acceptOrCreate("bad id\r\nX: y")).isNotEqualTo("bad id\r\nX: y").hasSize(36);
        assertThat(RequestIds.acceptOrCreate("x".repeat(RequestIds.MAX_LENGTH + 1))).hasSize(36);
        assertThat(RequestIds.acceptOrCreate(null)).hasSize(36);
    }

    @Test
    void noContextMeansNoIdAndPropagatesNothing() {
        assertThat(RequestIds.current()).isNull();
        assertThat(RequestIds.deliveryOptions().getHeaders()).isNull();
    }
}
