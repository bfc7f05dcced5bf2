package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.Share;
import dev.s3music.model.auth.ShareService.CreatedShare;
import dev.s3music.model.memory.InMemoryDocumentStore;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentShareServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    private final InMemoryDocumentStore docs = new InMemoryDocumentStore();
    private final DocumentShareService shares = new DocumentShareService(docs, AccountsConfig.defaults(), clock);
    private final Principal teacher = new Principal("Teacher", Role.ADMIN, "s1");
    private final Principal ann = new Principal("ann", Role.LISTENER, "s2");
    private final Principal bob = new Principal("bob", Role.LISTENER, "s3");

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static DomainException.Kind kind(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((DomainException) e.getCause()).kind();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aLinkResolvesUntilItExpiresAndOnlyItsHashIsStored() {
        CreatedShare c = await(shares.create(ann, "song-1", null, Duration.ofDays(7)));
        assertThat(c.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(c.share().expiresAt()).isEqualTo(Instant.parse("2026-05-08T12:00:00Z"));
        assertThat(await(shares.resolve(c.token()))).isEqualTo(c.share());
        String stored = await(docs.get(DocumentShareService.SHARES + c.share().id() + ".json")).value().encode();
        assertThat(stored).doesNotContain(c.token()).contains(Tokens.hash(c.token()));
        assertThat(kind(shares.resolve("unknown-token"))).isEqualTo(DomainException.Kind.NOT_FOUND);
        clock.advance(Duration.ofDays(7));
        assertThat(kind(shares.resolve(c.token()))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(await(shares.list(ann))).isEmpty();
    }

    @Test
    void ownersSeeTheirOwnSharesAndAdminsSeeAll() {
        Share a = await(shares.create(ann, "song-1", null, Duration.ofHours(1))).share();
        clock.advance(Duration.ofSeconds(1));
        Share b = await(shares.create(bob, null, "album-9", Duration.ofHours(1))).share();
        assertThat(await(shares.list(ann))).containsExactly(a);
        assertThat(await(shares.list(bob))).containsExactly(b);
        assertThat(await(shares.list(teacher))).containsExactly(b, a);
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletesOthersGetNotFound() {
        CreatedShare c = await(shares.create(ann, null, "album-1", Duration.ofDays(1)));
        assertThat(kind(shares.delete(bob, c.share().id()))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(await(shares.resolve(c.token()))).isNotNull();
        await(shares.delete(new Principal("ANN", Role.LISTENER, null), c.share().id()));
        assertThat(kind(shares.resolve(c.token()))).isEqualTo(DomainException.Kind.NOT_FOUND);
        CreatedShare d = await(shares.create(ann, "song-2", null, Duration.ofDays(1)));
        await(shares.delete(teacher, d.share().id()));
        assertThat(kind(shares.resolve(d.token()))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(kind(shares.delete(teacher, "../accounts/x"))).isEqualTo(DomainException.Kind.NOT_FOUND);
    }

    @Test
    void refusesBadRequests() {
        assertThat(kind(shares.create(ann, "s", "a", Duration.ofDays(1)))).isEqualTo(DomainException.Kind.INVALID);
        assertThat(kind(shares.create(ann, null, null, Duration.ofDays(1)))).isEqualTo(DomainException.Kind.INVALID);
        assertThat(kind(shares.create(ann, "s", null, Duration.ZERO))).isEqualTo(DomainException.Kind.INVALID);
        assertThat(kind(shares.create(ann, "s", null, Duration.ofDays(400)))).isEqualTo(DomainException.Kind.INVALID);
    }
}
