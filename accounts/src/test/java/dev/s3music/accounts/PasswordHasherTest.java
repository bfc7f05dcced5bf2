package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor pool = vertx.createSharedWorkerExecutor("argon2-test", 2);

    @AfterEach
    void close() {
        pool.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void hashesWithArgon2idAtOwaspMinimumOrMoreAndVerifies() {
        PasswordHasher h = new PasswordHasher(pool, 2, AccountsConfig.defaults().argon2(), 8);
        String encoded = await(h.hash("correct horse battery"));
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        Argon2Params p = PasswordHasher.paramsOf(encoded);
        assertThat(p.memoryKiB()).isGreaterThanOrEqualTo(19456);
        assertThat(p.iterations()).isGreaterThanOrEqualTo(2);
        assertThat(p.parallelism()).isGreaterThanOrEqualTo(1);
        assertThat(await(h.verify(encoded, "correct horse battery"))).isTrue();
        assertThat(await(h.verify(encoded, "correct horse batterY"))).isFalse();
        assertThat(await(h.verify(h.dummy(), "correct horse battery"))).isFalse();
        assertThat(await(h.hash("correct horse battery"))).as("salted").isNotEqualTo(encoded);
    }

    @Test
    void matchesTheSamePasswordComposedOrDecomposed() {
        PasswordHasher h = new PasswordHasher(pool, 2, Argon2Params.OWASP_MINIMUM, 8);
        String encoded = await(h.hash("Zo\u00eb plays cello"));
        assertThat(await(h.verify(encoded, "Zoe\u0308 plays cello"))).isTrue();
    }

    @Test
    void asksForARehashWhenTheConfiguredParametersAreRaised() {
        PasswordHasher min = new PasswordHasher(pool, 2, Argon2Params.OWASP_MINIMUM, 8);
        PasswordHasher raised = new PasswordHasher(pool, 2, new Argon2Params(19456, 3, 1), 8);
        String old = await(min.hash("a long enough pass"));
        assertThat(min.needsRehash(old)).isFalse();
        assertThat(raised.needsRehash(old)).isTrue();
        assertThat(raised.needsRehash(await(raised.hash("a long enough pass")))).isFalse();
        assertThat(raised.needsRehash("$2a$10$bcrypt-or-garbage")).isTrue();
        assertThat(PasswordHasher.matches("garbage", "x")).isFalse();
    }

    @Test
    void refusesHashesBeyondTheBoundAtOnceInsteadOfQueueing() {
        PasswordHasher h = new PasswordHasher(pool, 2, Argon2Params.OWASP_MINIMUM, 2);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(h.hash("a long enough pass " + i));
        }
        long refused = calls.stream().filter(f -> f.failed()
            && DomainException.is(f.cause(), DomainException.Kind.RATE_LIMITED)).count();
        assertThat(refused).as("refused before any work").isEqualTo(4);
        assertThat(((DomainException) calls.get(5).cause()).retryAfterSeconds()).isEqualTo(1);
        assertThat(await(calls.get(0))).startsWith("$argon2id$");
        await(calls.get(1));
        assertThat(await(h.hash("after the flood passes"))).as("capacity comes back").startsWith("$argon2id$");
    }

    @Test
    void configRefusesParametersBelowOwaspMinimum() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                AccountsConfig.defaults().withArgon2(new Argon2Params(4096, 3, 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OWASP");
    }
}
