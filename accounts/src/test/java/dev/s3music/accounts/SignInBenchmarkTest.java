package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.SignIn;
import dev.s3music.model.auth.ThrottlePolicy;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import io.vertx.core.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On demand: {@code mvn -B -o -pl accounts -am -Dgroups=benchmark -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=SignInBenchmarkTest verify}. Prints sign-ins per second of one
 * instance at the default Argon2 parameters, and the heap while 1,000 sign-ins arrive at once (the bound refuses the
 * excess at once, so heap stays flat).
 */
@Tag("benchmark")
class SignInBenchmarkTest extends AccountServiceTestBase {

    @Test
    void signInsPerSecondAndHeapUnderAThousandConcurrentSignIns() throws InterruptedException {
        AccountsConfig config = AccountsConfig.defaults();
        // a throttle that never blocks: this measures hashing, not the brute-force guard
        ThrottlePolicy lenient = new ThrottlePolicy(1_000_000, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        StoredAccountService s = service(new InMemoryDocumentStore(), new InMemorySessionStore(),
            new InMemoryLoginThrottle(lenient), config, Clock.systemUTC());
        Principal admin = admin(s);
        await(s.create(admin, "ann", "scales-every-morning", Role.LISTENER));

        int n = 40;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            await(s.login("ann", "scales-every-morning", "10.9.0.1"));
        }
        double sequential = n / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        List<Future<SignIn>> parallel = new ArrayList<>();
        for (int i = 0; i < config.maxPendingHashes(); i++) {
            parallel.add(s.login("ann", "scales-every-morning", "10.9.0.2"));
        }
        await(Future.join(parallel).otherwiseEmpty());
        double concurrent = parallel.stream().filter(Future::succeeded).count() / ((System.nanoTime() - t0) / 1e9);

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = mem.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        long sampler = vertx.setPeriodic(5, id -> peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max));
        List<Future<SignIn>> flood = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            flood.add(s.login("ann", "scales-every-morning", "10.9.1." + (i % 250)));
        }
        await(Future.join(flood).otherwiseEmpty());
        vertx.cancelTimer(sampler);
        long ok = flood.stream().filter(Future::succeeded).count();
        long refused = flood.stream().filter(f -> f.failed()
            && DomainException.is(f.cause(), DomainException.Kind.RATE_LIMITED)).count();
        System.out.printf("sign-in benchmark (Argon2id m=%d KiB t=%d p=%d, %d hashing threads, %d cores):%n",
            config.argon2().memoryKiB(), config.argon2().iterations(), config.argon2().parallelism(),
            config.hashingThreads(), Runtime.getRuntime().availableProcessors());
        System.out.printf("  one at a time: %.1f sign-ins/s; %d at once: %.1f sign-ins/s%n", sequential,
            config.maxPendingHashes(), concurrent);
        System.out.printf("  1,000 at once: %d signed in, %d refused at once (429); heap before %d MiB, peak %d MiB%n",
            ok, refused, before >> 20, peak.get() >> 20);
        assertThat(ok + refused).isEqualTo(1000);
        assertThat(refused).as("the excess is refused, not queued").isPositive();
    }
}
