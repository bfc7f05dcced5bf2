package dev.s3music.model.auth;

import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every session store shares; run against the in-memory and the Redis store. */
public abstract class SessionStoreContractTest {

    protected SessionStore store;

    protected abstract SessionStore newStore();

    @BeforeEach
    protected void setUpStore() {
        store = newStore();
    }

    protected static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A live session of {@code user}: created now (millisecond precision, as stored), ending in a day or more. */
    protected static Session session(String user) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Session(UUID.randomUUID().toString().replace("-", ""), user, Role.LISTENER, now, now,
            now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(1)));
    }

    @Test
    public void storesAndReadsASessionByTokenHash() {
        Session s = session("Zoë");
        await(store.put(s));
        assertThat(await(store.get(s.tokenHash()))).isEqualTo(s);
        assertThat(await(store.get("unknown"))).isNull();
    }

    @Test
    public void touchMovesLastSeenAndIdleExpiryButNeverPastTheAbsoluteExpiry() {
        Session s = session("ann");
        await(store.put(s));
        Instant later = s.lastSeen().plus(Duration.ofMinutes(5));
        await(store.touch(s.tokenHash(), later, later.plus(Duration.ofDays(1))));
        Session touched = await(store.get(s.tokenHash()));
        assertThat(touched.lastSeen()).isEqualTo(later);
        assertThat(touched.idleExpiresAt()).isEqualTo(later.plus(Duration.ofDays(1)));
        assertThat(touched.expiresAt()).isEqualTo(s.expiresAt());
        await(store.touch(s.tokenHash(), later, s.expiresAt().plus(Duration.ofDays(9))));
        assertThat(await(store.get(s.tokenHash())).idleExpiresAt()).isEqualTo(s.expiresAt());
    }

    @Test
    public void touchNeverBringsBackARevokedSession() {
        Session s = session("ann");
        await(store.put(s));
        assertThat(await(store.revoke(s.tokenHash()))).isTrue();
        await(store.touch(s.tokenHash(), Instant.now(), Instant.now().plus(Duration.ofDays(1))));
        assertThat(await(store.get(s.tokenHash()))).isNull();
        assertThat(await(store.revoke(s.tokenHash()))).isFalse();
    }

    @Test
    public void revokeAllRemovesEverySessionOfTheUserExceptTheOneKept() {
        Session a = session("bob");
        Session b = session("bob");
        Session c = session("bob");
        Session other = session("Bob");
        for (Session s : new Session[] {a, b, c, other}) {
            await(store.put(s));
        }
        assertThat(await(store.revokeAll("bob", c.tokenHash()))).containsExactlyInAnyOrder(a.tokenHash(), b.tokenHash());
        assertThat(await(store.get(a.tokenHash()))).isNull();
        assertThat(await(store.get(b.tokenHash()))).isNull();
        assertThat(await(store.get(c.tokenHash()))).isEqualTo(c);
        assertThat(await(store.get(other.tokenHash()))).isEqualTo(other);
        assertThat(await(store.revokeAll("bob", null))).containsExactly(c.tokenHash());
        assertThat(await(store.revokeAll("bob", null))).isEmpty();
    }

    @Test
    public void anEndedSessionIsGone() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Session ended = new Session("ended" + UUID.randomUUID(), "carl", Role.ADMIN, now.minus(Duration.ofDays(2)),
            now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(1)), now.minusSeconds(1));
        await(store.put(ended));
        assertThat(await(store.get(ended.tokenHash()))).isNull();
    }
}
