package dev.s3music.indexer.reconcile;

import dev.s3music.indexer.BytesObjectStore;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.core.TagSource;
import dev.s3music.model.Addresses;
import dev.s3music.model.Ids;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.memory.InMemoryReconcileLease;
import dev.s3music.model.port.CatalogWriter.Guard;
import dev.s3music.model.port.ReconcileLease;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.s3music.indexer.TestSupport.await;
import static dev.s3music.indexer.TestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9 item 9 (one reconcile at a time, shared status, joining) and the tombstone pruning of item 12. */
class ReconcileLeaseVerticleTest {

    Vertx vertx;
    InMemoryCatalog catalog;
    BytesObjectStore store;
    ReconcileLease lease;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
        catalog = new InMemoryCatalog();
        store = new BytesObjectStore();
        lease = new InMemoryReconcileLease();
        for (int i = 0; i < 5; i++) {
            store.put("A/B/" + i + ".mp3", new byte[] {(byte) i});
        }
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    /** An indexer instance: its own reconciler over the shared store and catalog, the shared lease. */
    private void deployInstance(ReconcileSchedule schedule) {
        Reconciler r = new Reconciler(store, new SongIndexer(vertx.eventBus(), catalog, TagSource.NONE), 2, 4);
        await(vertx.deployVerticle(new ReconcileVerticle(r, catalog, lease, schedule)));
    }

    private JsonObject ask(String address) {
        return await(vertx.eventBus().<JsonObject>request(address, new JsonObject(),
            new DeliveryOptions().setSendTimeout(10_000))).body();
    }

    @Test
    void aHundredRescansOnTwoInstancesStartOneReconcileAndJoinIt() {
        deployInstance(ReconcileSchedule.onRequest(false));
        deployInstance(ReconcileSchedule.onRequest(false));
        Promise<Void> gate = Promise.promise();
        store.listGate.set(gate.future()); // the reconcile stays running until the gate opens
        List<Future<io.vertx.core.eventbus.Message<JsonObject>>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replies.add(vertx.eventBus().request(Addresses.RESCAN_START, new JsonObject(),
                new DeliveryOptions().setSendTimeout(10_000)));
        }
        Set<String> runIds = new HashSet<>();
        for (var f : replies) {
            JsonObject s = await(f).body();
            assertThat(s.getString("state")).isEqualTo("running");
            runIds.add(s.getString("runId"));
        }
        assertThat(runIds).hasSize(1).doesNotContainNull();
        assertThat(store.firstPages.get()).isEqualTo(1);
        // both instances answer the status of the one run
        assertThat(ask(Addresses.RESCAN_STATUS).getString("runId")).isEqualTo(runIds.iterator().next());
        assertThat(ask(Addresses.RESCAN_STATUS).getString("runId")).isEqualTo(runIds.iterator().next());
        gate.complete();
        waitUntil("reconcile done, seen from both instances", Duration.ofSeconds(10),
            () -> "done".equals(ask(Addresses.RESCAN_STATUS).getString("state"))
                && "done".equals(ask(Addresses.RESCAN_STATUS).getString("state")));
        JsonObject done = ask(Addresses.RESCAN_STATUS);
        assertThat(done.getString("runId")).isEqualTo(runIds.iterator().next());
        assertThat(done.getLong("added")).isEqualTo(5);
        assertThat(await(lease.holder())).isNull();
        // the next request, once it finished, is a new run
        String next = ask(Addresses.RESCAN_START).getString("runId");
        assertThat(next).isNotEqualTo(runIds.iterator().next());
        waitUntil("second run done", Duration.ofSeconds(10), () -> store.firstPages.get() == 2
            && "done".equals(ask(Addresses.RESCAN_STATUS).getString("state")));
    }

    @Test
    void aRunWhoseHolderDiedReadsAsFailedAndTheNextStartsOnceItsLeaseExpired() {
        deployInstance(ReconcileSchedule.onRequest(false));
        assertThat(await(lease.acquire("dead-run", Duration.ofMillis(500)))).isTrue();
        await(lease.publishStatus(new JsonObject().put("state", "running").put("runId", "dead-run").encode()));
        JsonObject joined = ask(Addresses.RESCAN_START);
        assertThat(joined.getString("runId")).isEqualTo("dead-run"); // the holder is alive: join it
        assertThat(store.firstPages.get()).isZero();
        waitUntil("the dead holder's lease expired", Duration.ofSeconds(10),
            () -> "failed".equals(ask(Addresses.RESCAN_STATUS).getString("state")));
        JsonObject started = ask(Addresses.RESCAN_START);
        assertThat(started.getString("runId")).isNotEqualTo("dead-run");
        waitUntil("new run done", Duration.ofSeconds(10), () -> await(catalog.size()) == 5);
    }

    @Test
    void theScheduleReconcilesWithoutBeingAsked() {
        deployInstance(ReconcileSchedule.onRequest(false).withEvery(Duration.ofMillis(300)));
        waitUntil("scheduled reconcile filled the catalog", Duration.ofSeconds(10), () -> await(catalog.size()) == 5);
        store.put("A/B/late.mp3", new byte[] {9});
        waitUntil("the next scheduled reconcile added the late file", Duration.ofSeconds(10),
            () -> await(catalog.size()) == 6);
    }

    @Test
    void tombstonesOlderThanTheRetentionArePruned() {
        Song s = Song.of(SongKey.parse("A/B/gone.mp3").orElseThrow(), 1, "e", Instant.EPOCH);
        assertThat(await(catalog.upsert(s, Guard.event("0010")))).isTrue();
        assertThat(await(catalog.remove(s.key(), Guard.event("0030")))).isTrue();
        // a one-day retention keeps it: the late older put stays refused
        deployInstance(ReconcileSchedule.onRequest(false).withPruning(Duration.ofMillis(100), Duration.ofDays(1)));
        assertThat(await(catalog.upsert(s, Guard.event("0020")))).isFalse();
        deployInstance(ReconcileSchedule.onRequest(false).withPruning(Duration.ofMillis(100), Duration.ZERO));
        waitUntil("tombstone pruned: the key takes an old event again", Duration.ofSeconds(10),
            () -> await(catalog.upsert(s, Guard.event("0020"))));
        assertThat(await(catalog.song(Ids.song(s.key())))).isPresent();
    }
}
