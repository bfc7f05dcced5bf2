package dev.s3music.model.port;

import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every reconcile lease shares; run against the in-memory and the Redis lease. */
public abstract class ReconcileLeaseContractTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    protected ReconcileLease lease;

    protected abstract ReconcileLease newLease();

    @BeforeEach
    protected void setUpLease() {
        lease = newLease();
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void onlyOneHolderAtATime() {
        assertThat(await(lease.holder())).isNull();
        assertThat(await(lease.acquire("run-1", LONG))).isTrue();
        assertThat(await(lease.acquire("run-2", LONG))).isFalse();
        assertThat(await(lease.acquire("run-1", LONG))).isFalse(); // not re-entrant: a second run of the same id
        assertThat(await(lease.holder())).isEqualTo("run-1");
    }

    @Test
    public void onlyTheHolderRenewsOrReleases() {
        assertThat(await(lease.acquire("run-1", LONG))).isTrue();
        assertThat(await(lease.renew("run-2", LONG))).isFalse();
        await(lease.release("run-2"));
        assertThat(await(lease.holder())).isEqualTo("run-1");
        assertThat(await(lease.renew("run-1", LONG))).isTrue();
        await(lease.release("run-1"));
        assertThat(await(lease.holder())).isNull();
        assertThat(await(lease.renew("run-1", LONG))).isFalse();
        assertThat(await(lease.acquire("run-2", LONG))).isTrue();
    }

    @Test
    public void aHolderThatStopsRenewingLosesTheLease() throws InterruptedException {
        assertThat(await(lease.acquire("dead", Duration.ofMillis(300)))).isTrue();
        boolean taken = false;
        for (int i = 0; i < 100 && !taken; i++) { // bounded: 10 s
            Thread.sleep(100);
            taken = await(lease.acquire("next", LONG));
        }
        assertThat(taken).isTrue();
        assertThat(await(lease.renew("dead", LONG))).isFalse();
        assertThat(await(lease.holder())).isEqualTo("next");
    }

    @Test
    public void statusIsSharedAndReplaced() {
        assertThat(await(lease.status())).isNull();
        await(lease.publishStatus("{\"state\":\"running\"}"));
        assertThat(await(lease.status())).isEqualTo("{\"state\":\"running\"}");
        await(lease.publishStatus("{\"state\":\"done\"}"));
        assertThat(await(lease.status())).isEqualTo("{\"state\":\"done\"}");
    }
}
