package dev.s3music.s3;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link DocumentStore} adapter shares; run against the in-memory store and S3 (S3Proxy).
 * Each test gets an empty store. The races run writers on plain threads released together by a barrier, so the
 * in-memory store is raced as truly as S3.
 */
abstract class DocumentStoreContractTest {

    /** Writers per race; rounds per race test. */
    private static final int WRITERS = 20;
    private static final int ROUNDS = 20;
    /** A writer that keeps losing gives up after this many attempts (a bound, not a timing). */
    private static final int MAX_ATTEMPTS = 1000;

    protected DocumentStore docs;
    private ExecutorService threads;

    /** A new, empty store. */
    protected abstract DocumentStore newStore();

    @BeforeEach
    void setUpStore() {
        docs = newStore();
        threads = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertConflict(Supplier<Future<?>> call) {
        assertThatThrownBy(() -> await(call.get())).isInstanceOf(DomainException.class)
            .satisfies(t -> assertThat(((DomainException) t).kind()).isEqualTo(DomainException.Kind.CONFLICT));
    }

    static JsonObject doc(String name, int n) {
        return new JsonObject().put("name", name).put("n", n).put("tags", List.of("a", "b"));
    }

    @Test
    void getOfAMissingDocumentIsNull() {
        assertThat(await(docs.get("users/nobody.json"))).isNull();
    }

    @Test
    void createWritesAndGetReturnsTheBodyAtTheCreatedVersion() {
        String v = await(docs.create("users/ana.json", doc("Ana", 1)));
        assertThat(v).isNotBlank().doesNotContain("\"");
        Versioned<JsonObject> read = await(docs.get("users/ana.json"));
        assertThat(read.value()).isEqualTo(doc("Ana", 1));
        assertThat(read.version()).isEqualTo(v);
    }

    @Test
    void createOfAnExistingDocumentIsAConflictAndKeepsTheFirst() {
        String v = await(docs.create("users/ana.json", doc("Ana", 1)));
        assertConflict(() -> docs.create("users/ana.json", doc("Impostor", 2)));
        assertThat(await(docs.get("users/ana.json"))).isEqualTo(new Versioned<>(doc("Ana", 1), v));
    }

    @Test
    void replaceAtTheCurrentVersionWritesAndReturnsTheNewVersion() {
        String v1 = await(docs.create("users/ana.json", doc("Ana", 1)));
        String v2 = await(docs.replace("users/ana.json", doc("Ana", 2), v1));
        assertThat(v2).isNotEqualTo(v1);
        assertThat(await(docs.get("users/ana.json"))).isEqualTo(new Versioned<>(doc("Ana", 2), v2));
        String v3 = await(docs.replace("users/ana.json", doc("Ana", 3), v2));
        assertThat(await(docs.get("users/ana.json"))).isEqualTo(new Versioned<>(doc("Ana", 3), v3));
    }

    @Test
    void replaceAtAWrongOrStaleVersionIsAConflictAndChangesNothing() {
        String v1 = await(docs.create("users/ana.json", doc("Ana", 1)));
        String v2 = await(docs.replace("users/ana.json", doc("Ana", 2), v1));
        assertConflict(() -> docs.replace("users/ana.json", doc("Stale", 9), v1));
        assertConflict(() -> docs.replace("users/ana.json", doc("Wrong", 9), "0123456789abcdef0123456789abcdef"));
        assertThat(await(docs.get("users/ana.json"))).isEqualTo(new Versioned<>(doc("Ana", 2), v2));
    }

    @Test
    void replaceOfAMissingOrDeletedDocumentIsAConflict() {
        String v1 = await(docs.create("users/ana.json", doc("Ana", 1)));
        assertConflict(() -> docs.replace("users/never.json", doc("X", 1), v1));
        await(docs.delete("users/ana.json"));
        assertConflict(() -> docs.replace("users/ana.json", doc("Ana", 2), v1));
        assertThat(await(docs.get("users/ana.json"))).isNull();
    }

    @Test
    void putWritesUnconditionallyAndItsVersionIsTheOneRead() {
        await(docs.put("cache/a.json", doc("A", 1)));
        await(docs.put("cache/a.json", doc("A", 2)));
        Versioned<JsonObject> read = await(docs.get("cache/a.json"));
        assertThat(read.value()).isEqualTo(doc("A", 2));
        String v = await(docs.replace("cache/a.json", doc("A", 3), read.version()));
        assertThat(await(docs.get("cache/a.json")).version()).isEqualTo(v);
        assertConflict(() -> docs.create("cache/a.json", doc("A", 4)));
    }

    @Test
    void deleteRemovesTheDocumentAndIsIdempotent() {
        await(docs.create("users/ana.json", doc("Ana", 1)));
        await(docs.delete("users/ana.json"));
        assertThat(await(docs.get("users/ana.json"))).isNull();
        await(docs.delete("users/ana.json"));
        // a deleted document may be created again
        assertThat(await(docs.create("users/ana.json", doc("Ana", 2)))).isNotBlank();
    }

    @Test
    void listPagesThroughThePrefixOnlyInKeyOrderWithVersions() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String key = "users/u" + i + ".json";
            expected.add(key);
            await(docs.create(key, doc("u" + i, i)));
        }
        await(docs.create("users.json", doc("not under users/", 0)));
        await(docs.create("cache/x.json", doc("x", 0)));
        await(docs.create("usersX/y.json", doc("y", 0)));

        List<String> keys = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            DocumentPage page = await(docs.list("users/", cursor, 3));
            assertThat(page.documents()).hasSizeLessThanOrEqualTo(3).isNotEmpty();
            for (DocumentPage.Entry e : page.documents()) {
                assertThat(e.version()).isEqualTo(await(docs.get(e.key())).version());
            }
            keys.addAll(page.keys());
            cursor = page.cursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(keys).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);

        assertThat(await(docs.list("", null, 1000)).keys())
            .containsExactly("cache/x.json", "users.json", "users/u0.json", "users/u1.json", "users/u2.json",
                "users/u3.json", "users/u4.json", "users/u5.json", "users/u6.json", "usersX/y.json");
        DocumentPage none = await(docs.list("nobody/", null, 10));
        assertThat(none.documents()).isEmpty();
        assertThat(none.cursor()).isNull();
    }

    @Test
    void listRefusesALimitOutsideItsRange() {
        assertThatThrownBy(() -> await(docs.list("", null, 0))).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> await(docs.list("", null, DocumentStore.MAX_LIST_LIMIT + 1)))
            .isInstanceOf(DomainException.class);
    }

    @Test
    void documentsOverTheSizeBoundAreRefused() {
        JsonObject big = new JsonObject().put("blob", "x".repeat(DocumentStore.MAX_BYTES));
        assertThatThrownBy(() -> await(docs.create("users/big.json", big))).isInstanceOf(DomainException.class)
            .satisfies(t -> assertThat(((DomainException) t).kind()).isEqualTo(DomainException.Kind.INVALID));
        assertThatThrownBy(() -> await(docs.put("users/big.json", big))).isInstanceOf(DomainException.class);
        assertThat(await(docs.get("users/big.json"))).isNull();
    }

    @Test
    void ofWritersCreatingOneDocumentExactlyOneWins() throws Exception {
        List<Outcome> outcomes = race(WRITERS, i -> docs.create("users/race.json", doc("writer", i)));
        List<Outcome> won = outcomes.stream().filter(o -> o.version != null).toList();
        assertThat(won).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.version == null).allSatisfy(o -> assertThat(o.conflict).isTrue());
        assertThat(await(docs.get("users/race.json"))).isEqualTo(new Versioned<>(doc("writer", won.get(0).writer), won.get(0).version));
    }

    @Test
    void ofWritersReplacingFromOneVersionExactlyOneWinsEachRound() throws Exception {
        String version = await(docs.create("users/race.json", doc("start", -1)));
        for (int round = 0; round < ROUNDS; round++) {
            String from = version;
            int r = round;
            List<Outcome> outcomes = race(2, i -> docs.replace("users/race.json", doc("round " + r, i), from));
            List<Outcome> won = outcomes.stream().filter(o -> o.version != null).toList();
            assertThat(won).as("round %d", round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.version == null).allSatisfy(o -> assertThat(o.conflict).isTrue());
            Versioned<JsonObject> now = await(docs.get("users/race.json"));
            assertThat(now).isEqualTo(new Versioned<>(doc("round " + r, won.get(0).writer), won.get(0).version));
            version = now.version();
        }
        // many writers from one version, once
        String from = version;
        List<Outcome> outcomes = race(WRITERS, i -> docs.replace("users/race.json", doc("crowd", i), from));
        assertThat(outcomes).filteredOn(o -> o.version != null).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.version == null).hasSize(WRITERS - 1)
            .allSatisfy(o -> assertThat(o.conflict).isTrue());
    }

    @Test
    void writersThatRetryOnConflictLoseNoUpdate() throws Exception {
        int perWriter = 20;
        await(docs.create("users/counter.json", new JsonObject().put("count", 0)));
        AtomicInteger attempts = new AtomicInteger();
        List<Outcome> outcomes = race(2, i -> {
            for (int done = 0; done < perWriter; ) {
                if (attempts.incrementAndGet() > MAX_ATTEMPTS) {
                    return Future.failedFuture("no progress after " + MAX_ATTEMPTS + " attempts");
                }
                Versioned<JsonObject> current = await(docs.get("users/counter.json"));
                JsonObject next = new JsonObject().put("count", current.value().getInteger("count") + 1)
                    .put("last", i);
                try {
                    await(docs.replace("users/counter.json", next, current.version()));
                    done++;
                } catch (DomainException e) {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(DomainException.Kind.CONFLICT);
                }
            }
            return Future.succeededFuture("done");
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.version).isEqualTo("done"));
        assertThat(await(docs.get("users/counter.json")).value().getInteger("count")).isEqualTo(2 * perWriter);
    }

    private record Outcome(int writer, String version, boolean conflict) {
    }

    private interface Writer {
        Future<String> write(int writer);
    }

    /** Runs {@code n} writers on their own threads, released together; what each got. */
    private List<Outcome> race(int n, Writer writer) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        List<java.util.concurrent.Future<Outcome>> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = i;
            running.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    return new Outcome(w, await(writer.write(w)), false);
                } catch (DomainException e) {
                    if (e.kind() != DomainException.Kind.CONFLICT) {
                        throw e;
                    }
                    return new Outcome(w, null, true);
                }
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (var f : running) {
            outcomes.add(f.get(120, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
