package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.SessionStore;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** One Vert.x (one event bus) per test; services built on it are closed after the test. */
abstract class AccountServiceTestBase {

    static final String PASSWORD = "cello-practice-daily";

    protected Vertx vertx;
    protected final List<StoredAccountService> services = new ArrayList<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        Codecs.registerAll(vertx.eventBus());
    }

    @AfterEach
    void stopVertx() {
        services.forEach(StoredAccountService::close);
        await(vertx.close());
    }

    protected StoredAccountService service(DocumentStore docs, SessionStore sessions, LoginThrottle throttle,
                                           AccountsConfig config, Clock clock) {
        StoredAccountService s = new StoredAccountService(vertx, docs, sessions, throttle, config, clock);
        services.add(s);
        await(s.ready());
        return s;
    }

    /** A service whose first admin {@code admin} exists; answers the admin's principal. */
    protected Principal admin(StoredAccountService s) {
        await(s.bootstrap(Optional.of("admin"), Optional.of(PASSWORD)));
        return await(s.authenticate(await(s.login("admin", PASSWORD, "10.0.0.1")).token()));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static DomainException failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DomainException.class);
            return (DomainException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
