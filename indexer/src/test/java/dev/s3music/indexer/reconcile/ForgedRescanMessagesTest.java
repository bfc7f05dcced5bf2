package dev.s3music.indexer.reconcile;

import dev.s3music.indexer.BytesObjectStore;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.model.Addresses;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.s3music.indexer.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 9 item 11: the rescan commands take no arguments; a message carrying any (a forged one, or a future caller
 * expecting options that do not exist) is refused with {@link Addresses#RESCAN_FAILURE_INVALID} and starts nothing.
 */
class ForgedRescanMessagesTest {

    Vertx vertx;
    BytesObjectStore store;
    Reconciler reconciler;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        InMemoryCatalog catalog = new InMemoryCatalog();
        store = new BytesObjectStore();
        store.put("A/B/1.mp3", new byte[] {1});
        reconciler = new Reconciler(store, new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE), 3, 4);
        await(vertx.deployVerticle(new ReconcileVerticle(reconciler, catalog, false)));
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    @Test
    void rescanMessagesWithArgumentsAreRefusedAndStartNothing() {
        List<Object> forged = List.of(new JsonObject().put("prefix", "../"), "start",
            new JsonArray().add("x"), new JsonObject().put("x", "y".repeat(100_000)));
        for (String address : List.of(Addresses.RESCAN_START, Addresses.RESCAN_STATUS)) {
            for (Object body : forged) {
                Throwable t = catchThrowable(() -> await(vertx.eventBus().request(address, body,
                    new DeliveryOptions().setSendTimeout(5_000))));
                assertThat(t).as(address + " " + body.getClass().getSimpleName()).isNotNull();
                ReplyException r = (ReplyException) rootReply(t);
                assertThat(r.failureCode()).isEqualTo(Addresses.RESCAN_FAILURE_INVALID);
            }
        }
        assertThat(reconciler.status().state()).isEqualTo("idle");

        // the argument-less forms still work: null and {}
        Message<JsonObject> status = await(vertx.eventBus().request(Addresses.RESCAN_STATUS, new JsonObject()));
        assertThat(status.body().getString("state")).isEqualTo("idle");
        Message<JsonObject> started = await(vertx.eventBus().request(Addresses.RESCAN_START, null));
        assertThat(started.body().getString("state")).isIn("running", "done");
    }

    private static Throwable rootReply(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ReplyException) {
                return c;
            }
        }
        throw new AssertionError("not a ReplyException: " + t);
    }
}
