package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Subsonic sign-in over the real accounts: the account password checked once and then trusted from the cache (a
 * wrong one never), app passwords encrypted at rest and usable for token sign-in, API keys stored as their hash,
 * the throttle shared with the login, and a revocation dropping the cache.
 */
@ExtendWith(VertxExtension.class)
class StoredSubsonicCredentialsTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);

    InMemoryDocumentStore docs;
    StoredAccountService accounts;
    StoredSubsonicCredentials subsonic;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        try {
            Codecs.registerAll(vertx.eventBus());
        } catch (IllegalStateException alreadyRegistered) {
            // one Vert.x per test class in VertxExtension's parameter resolution: registered by an earlier test
        }
        docs = new InMemoryDocumentStore();
        accounts = new StoredAccountService(vertx, docs, new InMemorySessionStore(),
            new InMemoryLoginThrottle(AccountsConfig.defaults().throttle()), AccountsConfig.defaults().withHashing(2, 16));
        accounts.ready().await(10, TimeUnit.SECONDS);
        accounts.bootstrap(Optional.of("admin"), Optional.of("admin-password-1")).await(30, TimeUnit.SECONDS);
        accounts.create(ADMIN, "ana", "ana-password-123", Role.LISTENER).await(30, TimeUnit.SECONDS);
        subsonic = new StoredSubsonicCredentials(vertx, accounts, docs, SECRET);
        subsonic.ready().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        subsonic.close();
        accounts.close();
    }

    @Test
    void theAccountPasswordIsHashedOnceThenTrustedAndAWrongOneNeverCached() throws Exception {
        long before = accounts.hashesStarted();
        Principal p = subsonic.password("ana", "ana-password-123", "10.0.0.1").await(30, TimeUnit.SECONDS);
        assertThat(p.username()).isEqualTo("ana");
        assertThat(p.role()).isEqualTo(Role.LISTENER);
        for (int i = 0; i < 20; i++) {
            subsonic.password("ANA", "ana-password-123", "10.0.0.1").await(30, TimeUnit.SECONDS);
        }
        assertThat(accounts.hashesStarted() - before).as("one Argon2 for 21 sign-ins").isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> subsonic.password("ana", "wrong-password-1", "10.0.0.2").await(30, TimeUnit.SECONDS))
                .matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
        }
        assertThat(accounts.hashesStarted() - before).as("each wrong password hashed").isEqualTo(4);
    }

    @Test
    void appPasswordIsEncryptedAtRestAndSignsInByTokenAndAsP(Vertx vertx) throws Exception {
        Principal ana = new Principal("ana", Role.LISTENER, null);
        assertThatThrownBy(() -> subsonic.token("ana", StoredSubsonicCredentials.md5Hex("x" + "salt"), "salt", "10.0.0.3")
            .await(30, TimeUnit.SECONDS)).matches(e -> DomainException.is(e, DomainException.Kind.PRECONDITION_FAILED));
        String app = subsonic.newAppPassword(ana).await(30, TimeUnit.SECONDS);
        var stored = docs.list("subsonic/", null, 10).await();
        assertThat(stored.keys()).hasSize(1);
        JsonObject doc = docs.get(stored.keys().get(0)).await().value();
        assertThat(doc.encode()).doesNotContain(app);
        assertThat(subsonic.token("ana", StoredSubsonicCredentials.md5Hex(app + "s4lt"), "s4lt", "10.0.0.3")
            .await(30, TimeUnit.SECONDS).username()).isEqualTo("ana");
        long before = accounts.hashesStarted();
        assertThat(subsonic.password("ana", app, "10.0.0.3").await(30, TimeUnit.SECONDS).username()).isEqualTo("ana");
        assertThat(accounts.hashesStarted()).as("the app password needs no Argon2").isEqualTo(before);
        assertThatThrownBy(() -> subsonic.token("ana", StoredSubsonicCredentials.md5Hex(app + "other"), "s4lt", "10.0.0.3")
            .await(30, TimeUnit.SECONDS)).matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
        // another secret cannot read it: as if there were none
        StoredSubsonicCredentials otherKey = new StoredSubsonicCredentials(vertx, accounts, docs,
            "another-secret-of-32-characters-or-more");
        try {
            assertThatThrownBy(() -> otherKey.token("ana", StoredSubsonicCredentials.md5Hex(app + "s4lt"), "s4lt", "10.0.0.3")
                .await(30, TimeUnit.SECONDS)).matches(e -> DomainException.is(e, DomainException.Kind.PRECONDITION_FAILED));
        } finally {
            otherKey.close();
        }
    }

    @Test
    void apiKeysAreStoredAsTheirHashAndEndWithTheAccount() throws Exception {
        String key = subsonic.newApiKey(new Principal("ana", Role.LISTENER, null)).await(30, TimeUnit.SECONDS);
        List<String> keys = docs.list("subsonic-keys/", null, 10).await().keys();
        assertThat(keys).containsExactly("subsonic-keys/" + Tokens.hash(key) + ".json");
        assertThat(docs.get(keys.get(0)).await().value().encode()).doesNotContain(key);
        assertThat(subsonic.apiKey(key, "10.0.0.4").await(30, TimeUnit.SECONDS).username()).isEqualTo("ana");
        assertThatThrownBy(() -> subsonic.apiKey("forged", "10.0.0.4").await(30, TimeUnit.SECONDS))
            .matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
        // disabling the account publishes a revocation naming the user: the cached key is dropped at once
        accounts.update(ADMIN, "ana", new UserChange(null, null, true)).await(30, TimeUnit.SECONDS);
        // the event travels the bus: bounded wait for it, far below the cache's 60 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            refused = subsonic.apiKey(key, "10.0.0.4").transform(ar -> io.vertx.core.Future.succeededFuture(ar.failed()))
                .await(30, TimeUnit.SECONDS);
            if (!refused) {
                Thread.sleep(20);
            }
        }
        assertThat(refused).as("the disabled account's key is refused within 5 s").isTrue();
        assertThatThrownBy(() -> subsonic.apiKey(key, "10.0.0.4").await(30, TimeUnit.SECONDS))
            .matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
        assertThatThrownBy(() -> subsonic.password("ana", "ana-password-123", "10.0.0.4").await(30, TimeUnit.SECONDS))
            .matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
    }

    @Test
    void failuresAreThrottledWithTheLoginsKeys() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> subsonic.password("ghost", "wrong-password-9", "10.0.0.9").await(30, TimeUnit.SECONDS))
                .matches(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED));
        }
        assertThatThrownBy(() -> subsonic.apiKey("any-key", "10.0.0.9").await(30, TimeUnit.SECONDS))
            .matches(e -> DomainException.is(e, DomainException.Kind.RATE_LIMITED));
        // the login of the same address is blocked too: one throttle
        assertThatThrownBy(() -> accounts.login("ana", "ana-password-123", "10.0.0.9").await(30, TimeUnit.SECONDS))
            .matches(e -> DomainException.is(e, DomainException.Kind.RATE_LIMITED));
    }

    @Test
    void theStoredSecretIsCreatedOnceAndReadBack() throws Exception {
        String first = StoredSubsonicCredentials.storedSecret(docs).await(10, TimeUnit.SECONDS);
        String again = StoredSubsonicCredentials.storedSecret(docs).await(10, TimeUnit.SECONDS);
        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isEqualTo(again);
    }
}
