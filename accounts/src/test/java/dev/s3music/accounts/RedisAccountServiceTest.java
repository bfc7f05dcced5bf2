package dev.s3music.accounts;

import dev.s3music.embedded.RedisServerProcess;
import dev.s3music.model.DomainException.Kind;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.auth.RedisLoginThrottle;
import dev.s3music.redis.auth.RedisSessionStore;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two API instances (two services, each with its own Redis adapters, on one event bus) over one redis-server and one
 * document store: what one instance does, the other sees.
 */
class RedisAccountServiceTest extends AccountServiceTestBase {

    static RedisServerProcess server;

    private final AccountsConfig config = AccountsConfig.defaults().withHashing(2, 16);
    private StoredAccountService a;
    private StoredAccountService b;

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @BeforeEach
    void twoInstances() {
        DocumentStore docs = new InMemoryDocumentStore();
        String run = UUID.randomUUID().toString();
        a = instance(docs, run);
        b = instance(docs, run);
    }

    private StoredAccountService instance(DocumentStore docs, String run) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));
        RedisCommands redis = RedisCommands.of(client, RedisCommands.DEFAULT_TIMEOUT);
        return service(docs, new RedisSessionStore(redis, "t:" + run + ":auth:"),
            new RedisLoginThrottle(redis, "t:" + run + ":throttle:", config.throttle()), config, Clock.systemUTC());
    }

    @Test
    void aTokenFromOneInstanceWorksOnTheOtherUntilRevokedThere() throws InterruptedException {
        Principal admin = admin(a);
        await(a.create(admin, "ann", "scales-every-morning", Role.LISTENER));
        String token = await(a.login("ann", "scales-every-morning", "10.1.0.1")).token();
        assertThat(await(b.authenticate(token)).username()).isEqualTo("ann");
        assertThat(await(a.authenticate(token)).username()).isEqualTo("ann");
        int cachedOnA = a.cachedSessions();
        await(b.update(await(b.authenticate(await(b.login("admin", PASSWORD, "10.1.0.2")).token())), "ann",
            new dev.s3music.model.auth.UserChange(null, null, true)));
        waitFor(() -> a.cachedSessions() < cachedOnA, "the revocation made on b reached a's cache");
        assertThat(failure(a.authenticate(token)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(failure(b.authenticate(token)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void failuresOnBothInstancesCountTogether() {
        admin(a);
        for (int i = 0; i < 2; i++) {
            assertThat(failure(a.login("admin", "wrong-password-a", "10.2.0." + i)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
            assertThat(failure(b.login("admin", "wrong-password-b", "10.3.0." + i)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        }
        assertThat(failure(a.login("admin", "wrong-password-a", "10.2.0.9")).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(failure(b.login("admin", PASSWORD, "10.3.0.9")).kind()).isEqualTo(Kind.RATE_LIMITED);
    }
}
