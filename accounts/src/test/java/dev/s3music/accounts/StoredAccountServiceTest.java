package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import dev.s3music.model.DomainException.Kind;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.SignIn;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.auth.UserView;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The account service on in-memory stores (the embedded default's wiring). */
class StoredAccountServiceTest extends AccountServiceTestBase {

    private DocumentStore docs;
    private InMemorySessionStore sessions;
    private InMemoryLoginThrottle throttle;
    private final AccountsConfig config = AccountsConfig.defaults().withHashing(2, 16);

    @BeforeEach
    void stores() {
        docs = new InMemoryDocumentStore();
        sessions = new InMemorySessionStore();
        throttle = new InMemoryLoginThrottle(config.throttle());
    }

    private StoredAccountService service() {
        return service(docs, sessions, throttle, config, Clock.systemUTC());
    }

    @Test
    void adminPasswordCreatesTheFirstAdminOnlyWhenNoAccountExists() {
        StoredAccountService s = service();
        assertThat(await(s.bootstrap(Optional.empty(), Optional.of(PASSWORD)))).isEmpty();
        SignIn in = await(s.login("ADMIN", PASSWORD, "10.0.0.1"));
        assertThat(in.user().username()).isEqualTo("admin");
        assertThat(in.user().role()).isEqualTo(Role.ADMIN);
        assertThat(await(s.bootstrap(Optional.of("other"), Optional.of("another-long-pass")))).isEmpty();
        assertThat(await(s.setupOpen())).isFalse();
        assertThat(await(s.bootstrap(Optional.empty(), Optional.of("x")))).as("an account exists: the variable is ignored").isEmpty();
    }

    @Test
    void aWeakAdminPasswordFailsTheStart() {
        StoredAccountService s = service();
        DomainException e = failure(s.bootstrap(Optional.empty(), Optional.of("1234567890")));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.getMessage()).contains("too common");
    }

    @Test
    void withoutAdminPasswordASetupCodeCreatesTheFirstAdminOnce() {
        StoredAccountService s = service();
        String code = await(s.bootstrap(Optional.empty(), Optional.empty())).orElseThrow();
        assertThat(code).hasSizeGreaterThanOrEqualTo(22);
        assertThat(await(s.setupOpen())).isTrue();
        assertThat(failure(s.setup("wrong", "teacher", PASSWORD)).kind()).isEqualTo(Kind.FORBIDDEN);
        SignIn in = await(s.setup(code, "Teacher", PASSWORD));
        assertThat(in.user()).isEqualTo(new UserView("Teacher", Role.ADMIN, false, in.user().created()));
        assertThat(await(s.authenticate(in.token())).isAdmin()).isTrue();
        assertThat(await(s.setupOpen())).isFalse();
        assertThat(failure(s.setup(code, "second", PASSWORD)).kind()).isEqualTo(Kind.CONFLICT);
    }

    @Test
    void twoSetupsRacingOnTwoInstancesEndWithExactlyOneAdmin() {
        StoredAccountService a = service();
        StoredAccountService b = service();
        String codeA = await(a.bootstrap(Optional.empty(), Optional.empty())).orElseThrow();
        String codeB = await(b.bootstrap(Optional.empty(), Optional.empty())).orElseThrow();
        Future<SignIn> one = a.setup(codeA, "alice", PASSWORD);
        Future<SignIn> two = b.setup(codeB, "bob", PASSWORD);
        await(Future.join(one, two).otherwiseEmpty());
        assertThat(List.of(one, two)).filteredOn(Future::succeeded).hasSize(1);
        Future<SignIn> loser = one.succeeded() ? two : one;
        assertThat(DomainException.is(loser.cause(), Kind.CONFLICT)).isTrue();
        Principal winner = await(a.authenticate((one.succeeded() ? one : two).result().token()));
        assertThat(await(a.list(winner))).hasSize(1);
    }

    @Test
    void signsInWithATokenThatOnlyItsHashIsStoredFor() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "ann", "scales-every-morning", Role.LISTENER));
        SignIn in = await(s.login("ann", "scales-every-morning", "10.0.0.2"));
        assertThat(in.token()).matches("[A-Za-z0-9_-]{43}");
        Principal p = await(s.authenticate(in.token()));
        assertThat(p.username()).isEqualTo("ann");
        assertThat(p.role()).isEqualTo(Role.LISTENER);
        assertThat(p.sessionId()).isEqualTo(Tokens.hash(in.token())).isNotEqualTo(in.token());
        assertThat(await(sessions.get(in.token()))).isNull();
        assertThat(await(sessions.get(p.sessionId())).expiresAt()).isEqualTo(in.expiresAt());
        assertThat(failure(s.authenticate("not-a-token")).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(failure(s.authenticate(null)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void anUnknownUserAndAWrongPasswordFailAlike() {
        StoredAccountService s = service();
        admin(s);
        long h0 = s.hashesStarted();
        DomainException unknown = failure(s.login("nobody", PASSWORD, "10.0.0.3"));
        assertThat(s.hashesStarted()).as("an unknown user costs a hash").isEqualTo(h0 + 1);
        DomainException wrong = failure(s.login("admin", "not-the-password", "10.0.0.4"));
        assertThat(s.hashesStarted()).as("a wrong password costs a hash").isEqualTo(h0 + 2);
        DomainException malformed = failure(s.login("", PASSWORD, "10.0.0.5"));
        for (DomainException e : List.of(unknown, wrong, malformed)) {
            assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED);
            assertThat(e.getMessage()).isEqualTo("invalid_credentials");
        }
    }

    @Test
    void throttlesAUsernameAfterFiveFailuresAndASuccessResetsIt() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "ben", "arpeggios-are-fun", Role.LISTENER));
        for (int i = 0; i < 4; i++) {
            failure(s.login("ben", "wrong-password-" + i, "10.0.1." + i));
        }
        await(s.login("BEN", "arpeggios-are-fun", "10.0.1.9"));
        for (int i = 0; i < 4; i++) {
            assertThat(failure(s.login("ben", "wrong-password-" + i, "10.0.2." + i)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        }
        assertThat(failure(s.login("ben", "wrong-password-5", "10.0.2.5")).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        DomainException blocked = failure(s.login("ben", "arpeggios-are-fun", "10.0.3.1"));
        assertThat(blocked.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(blocked.retryAfterSeconds()).isBetween(50L, 60L);
    }

    @Test
    void throttlesAClientAddressTryingManyUsernames() {
        StoredAccountService s = service();
        admin(s);
        for (int i = 0; i < 5; i++) {
            failure(s.login("user" + i, "whatever-password", "192.0.2.7"));
        }
        assertThat(failure(s.login("admin", PASSWORD, "192.0.2.7")).kind()).isEqualTo(Kind.RATE_LIMITED);
        await(s.login("admin", PASSWORD, "192.0.2.8"));
    }

    @Test
    void namesAreUniqueIgnoringCaseAndComposition() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "Zo\u00eb", "sonatas-and-etudes", Role.LISTENER));
        assertThat(failure(s.create(admin, "ZOE\u0308", "sonatas-and-etudes", Role.LISTENER)).kind()).isEqualTo(Kind.CONFLICT);
        SignIn in = await(s.login("zoe\u0308", "sonatas-and-etudes", "10.0.0.6"));
        assertThat(in.user().username()).isEqualTo("Zo\u00eb");
        assertThat(failure(s.create(admin, "carl", "password123", Role.LISTENER)).kind()).isEqualTo(Kind.INVALID);
        assertThat(failure(s.create(admin, "carl", "short", Role.LISTENER)).kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void aListenerIsRefusedEveryAdminCall() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "dan", "bach-cello-suites", Role.LISTENER));
        Principal dan = await(s.authenticate(await(s.login("dan", "bach-cello-suites", "10.0.0.7")).token()));
        assertThat(failure(s.list(dan)).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(s.create(dan, "eve", "bach-cello-suites", Role.ADMIN)).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(s.update(dan, "dan", new UserChange(null, Role.ADMIN, null))).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(s.delete(dan, "admin")).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(await(s.me(dan)).username()).isEqualTo("dan");
    }

    @Test
    void disablingEndsTheSessionsAndRefusesSignIn() throws InterruptedException {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "fay", "harmonics-on-a-string", Role.LISTENER));
        String token = await(s.login("fay", "harmonics-on-a-string", "10.0.0.8")).token();
        await(s.authenticate(token));
        UserView v = await(s.update(admin, "FAY", new UserChange(null, null, true)));
        assertThat(v.disabled()).isTrue();
        assertThat(failure(s.authenticate(token)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(failure(s.login("fay", "harmonics-on-a-string", "10.0.0.8")).getMessage()).isEqualTo("invalid_credentials");
        await(s.update(admin, "fay", new UserChange(null, null, false)));
        await(s.login("fay", "harmonics-on-a-string", "10.0.0.9"));
        assertThat(failure(s.update(admin, "admin", new UserChange(null, Role.LISTENER, null))).kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void changingOnesPasswordKeepsThisSessionAndEndsTheOthers() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "gus", "first-long-password", Role.LISTENER));
        String here = await(s.login("gus", "first-long-password", "10.0.0.10")).token();
        String there = await(s.login("gus", "first-long-password", "10.0.0.11")).token();
        Principal gus = await(s.authenticate(here));
        assertThat(failure(s.changePassword(gus, "not-the-current-one", "second-long-password")).kind()).isEqualTo(Kind.FORBIDDEN);
        await(s.changePassword(gus, "first-long-password", "second-long-password"));
        assertThat(await(s.authenticate(here)).username()).isEqualTo("gus");
        assertThat(failure(s.authenticate(there)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        failure(s.login("gus", "first-long-password", "10.0.0.12"));
        await(s.login("gus", "second-long-password", "10.0.0.12"));
    }

    @Test
    void deletingAUserEndsItsSessionsAndFreesTheName() {
        StoredAccountService s = service();
        Principal admin = admin(s);
        await(s.create(admin, "hal", "long-tones-slowly", Role.LISTENER));
        String token = await(s.login("hal", "long-tones-slowly", "10.0.0.13")).token();
        await(s.delete(admin, "HAL"));
        assertThat(failure(s.authenticate(token)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(failure(s.delete(admin, "hal")).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(failure(s.delete(admin, "admin")).kind()).isEqualTo(Kind.INVALID);
        assertThat(await(s.list(admin))).extracting(UserView::username).containsExactly("admin");
    }

    @Test
    void rehashesAtSignInWhenTheParametersWereRaised() {
        StoredAccountService before = service();
        admin(before);
        Argon2Params raised = new Argon2Params(19456, 3, 1);
        StoredAccountService after = service(docs, sessions, throttle, config.withArgon2(raised), Clock.systemUTC());
        String old = await(docs.get(AccountDocuments.path("admin"))).value().getString("hash");
        assertThat(PasswordHasher.paramsOf(old)).isEqualTo(Argon2Params.OWASP_MINIMUM);
        await(after.login("admin", PASSWORD, "10.0.0.14"));
        String rehashed = await(docs.get(AccountDocuments.path("admin"))).value().getString("hash");
        assertThat(PasswordHasher.paramsOf(rehashed)).isEqualTo(raised);
        await(after.login("admin", PASSWORD, "10.0.0.14"));
        await(before.login("admin", PASSWORD, "10.0.0.14"));
    }

    @Test
    void aLogoutOnOneInstanceDropsTheCachedSessionOfAnother() throws InterruptedException {
        StoredAccountService a = service();
        StoredAccountService b = service();
        admin(a);
        String token = await(b.login("admin", PASSWORD, "10.0.0.15")).token();
        await(a.authenticate(token));
        assertThat(a.cachedSessions()).isGreaterThanOrEqualTo(1);
        int before = a.cachedSessions();
        await(b.logout(token));
        // only the SessionsRevoked fact removes entries without a call on a: a lazy expiry would need one
        waitFor(() -> a.cachedSessions() == before - 1, "the revocation event reached instance a");
        assertThat(failure(a.authenticate(token)).kind()).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void sessionsEndWhenIdleForAWeekOrAfterThirtyDays() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemorySessionStore store = new InMemorySessionStore(clock);
        AccountsConfig noCache = new AccountsConfig(config.sessionLifetime(), config.sessionIdle(), config.argon2(), 2,
            16, Duration.ofNanos(1), config.touchEvery(), config.maxShareLifetime(), 10, config.throttle());
        StoredAccountService s = service(docs, store, throttle, noCache, clock);
        await(s.bootstrap(Optional.empty(), Optional.of(PASSWORD)));
        SignIn in = await(s.login("admin", PASSWORD, "10.0.0.16"));
        assertThat(in.expiresAt()).isEqualTo(Instant.parse("2026-03-31T10:00:00Z"));
        for (int week = 0; week < 4; week++) {
            clock.advance(Duration.ofDays(6));
            assertThat(await(s.authenticate(in.token())).username()).as("used every 6 days").isEqualTo("admin");
        }
        clock.advance(Duration.ofDays(6));
        assertThat(failure(s.authenticate(in.token())).kind()).as("30 days passed").isEqualTo(Kind.UNAUTHENTICATED);
        String idle = await(s.login("admin", PASSWORD, "10.0.0.16")).token();
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(failure(s.authenticate(idle)).kind()).as("unused for a week").isEqualTo(Kind.UNAUTHENTICATED);
    }
}
