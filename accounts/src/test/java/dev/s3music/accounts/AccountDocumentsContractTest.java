package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Role;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts as documents, on every DocumentStore adapter: conditional writes, case-insensitive names, no lost edit. */
abstract class AccountDocumentsContractTest {

    protected Vertx vertx;
    protected DocumentStore store;

    protected abstract DocumentStore newStore(Vertx vertx);

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = newStore(vertx);
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Throwable failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    static Account account(String name) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Account(AccountRules.username(name), Role.LISTENER, false, "$argon2id$x", now, now, 0);
    }

    @Test
    void createsOnceIgnoringCaseAndComposition() {
        AccountDocuments docs = new AccountDocuments(vertx, store, 10);
        await(docs.create(account("Zo\u00eb")));
        Throwable e = failure(docs.create(account("ZOE\u0308")));
        assertThat(DomainException.is(e, DomainException.Kind.CONFLICT)).isTrue();
        assertThat(await(docs.get("zoe\u0308")).value().username()).isEqualTo("Zo\u00eb");
        assertThat(await(docs.any())).isTrue();
        assertThat(await(docs.all())).extracting(Account::username).containsExactly("Zo\u00eb");
    }

    @Test
    void updatingAMissingAccountIsNotFound() {
        AccountDocuments docs = new AccountDocuments(vertx, store, 10);
        assertThat(DomainException.is(failure(docs.update("nobody", a -> a)), DomainException.Kind.NOT_FOUND)).isTrue();
        assertThat(await(docs.any())).isFalse();
    }

    @Test
    void concurrentEditsFromTwoInstancesAllLand() {
        AccountDocuments one = new AccountDocuments(vertx, store, 50);
        AccountDocuments two = new AccountDocuments(vertx, store, 50);
        await(one.create(account("ann")));
        int each = 8;
        List<Future<Account>> edits = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            // each edit bumps the generation and flips a different field: none may be lost
            edits.add(one.update("ann", a -> new Account(a.username(), a.role(), a.disabled(), a.hash(), a.created(),
                a.changed(), a.generation() + 1)));
            edits.add(two.update("ANN", a -> new Account(a.username(), a.role(), a.disabled(), a.hash() + "x",
                a.created(), a.changed(), a.generation() + 1)));
        }
        await(Future.all(edits));
        Account end = await(one.get("ann")).value();
        assertThat(end.generation()).isEqualTo(2L * each);
        assertThat(end.hash()).isEqualTo("$argon2id$x" + "x".repeat(each));
    }

    @Test
    void deleteFreesTheName() {
        AccountDocuments docs = new AccountDocuments(vertx, store, 10);
        await(docs.create(account("bob")));
        await(docs.delete("BOB"));
        assertThat(await(docs.get("bob"))).isNull();
        await(docs.create(account("Bob")));
        assertThat(await(docs.get("bob")).value().username()).isEqualTo("Bob");
    }
}
