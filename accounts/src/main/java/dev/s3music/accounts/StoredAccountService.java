package dev.s3music.accounts;

import dev.s3music.model.Addresses;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.Session;
import dev.s3music.model.auth.SessionStore;
import dev.s3music.model.auth.SignIn;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.auth.UserView;
import dev.s3music.model.event.SessionsRevoked;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link AccountService} over accounts in a {@link DocumentStore} (S3 under {@code .s3music/}), a shared
 * {@link SessionStore} and {@link LoginThrottle} (Redis, or memory in the embedded default).
 *
 * <pre>
 *  login ──> throttle? (user:, addr:) ──> account doc ──> Argon2id verify (argon2 pool, bounded)
 *              │ blocked: 429                               │ unknown user: verify against a dummy hash
 *              ▼                                             ▼
 *          failure: count both keys, 401        success: reset user:, rehash if weaker, new session
 *                                                (put, then re-read the account: a change that raced us wins)
 *  authenticate ──> in-process cache (<= 1 s) ──> SessionStore.get ──> touch (<= once a minute)
 *  revoke ──> SessionStore ──> publish SessionsRevoked ──> every instance's cache drops them
 * </pre>
 *
 * <p>Threads: everything is asynchronous; the only CPU-heavy work (Argon2) runs on the {@code argon2} worker pool.
 * The revocation consumer and the cache are safe from any thread.
 */
public final class StoredAccountService implements AccountService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoredAccountService.class);

    /** The claim document of the one-time setup: the first setup to create it makes the first admin. */
    static final String SETUP_CLAIM = "setup.json";
    /** A claim older than this with still no account was left by a setup that died half-way: it may be taken over. */
    static final Duration SETUP_CLAIM_LEASE = Duration.ofMinutes(1);
    private static final String INVALID_CREDENTIALS = "invalid_credentials";

    private final Vertx vertx;
    private final DocumentStore docs;
    private final AccountDocuments accounts;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final AccountsConfig config;
    private final Clock clock;
    private final WorkerExecutor pool;
    private final PasswordHasher hasher;
    private final SessionCache cache;
    private final MessageConsumer<SessionsRevoked> revocations;
    private volatile String setupCode;

    /**
     * @param docs     the reserved documents of the bucket ({@code store.documents(".s3music/")})
     * @param sessions shared by every API instance
     * @param throttle shared by every API instance
     * The codec of {@link SessionsRevoked} must be registered on {@code vertx}'s bus ({@code Codecs.registerAll}).
     */
    public StoredAccountService(Vertx vertx, DocumentStore docs, SessionStore sessions, LoginThrottle throttle,
                                AccountsConfig config, Clock clock) {
        this.vertx = vertx;
        this.docs = docs;
        this.accounts = new AccountDocuments(vertx, docs, config.writeAttempts());
        this.sessions = sessions;
        this.throttle = throttle;
        this.config = config;
        this.clock = clock;
        this.pool = vertx.createSharedWorkerExecutor("argon2", config.hashingThreads());
        this.hasher = new PasswordHasher(pool, config.hashingThreads(), config.argon2(), config.maxPendingHashes());
        this.cache = new SessionCache(config.cacheFor().toNanos(), 100_000);
        this.revocations = vertx.eventBus().consumer(Addresses.SESSIONS_REVOKED, m -> cache.drop(m.body()));
    }

    public StoredAccountService(Vertx vertx, DocumentStore docs, SessionStore sessions, LoginThrottle throttle,
                                AccountsConfig config) {
        this(vertx, docs, sessions, throttle, config, Clock.systemUTC());
    }

    /** Completes once this instance listens for revocations of other instances (the consumer is registered). */
    public Future<Void> ready() {
        return revocations.completion();
    }

    // ---------------------------------------------------------------- first admin

    /**
     * Called once at start. When an account exists: nothing (empty). Else with {@code ADMIN_PASSWORD}: creates the
     * admin {@code adminUser} (default {@code admin}) and answers empty; without it: answers a one-time setup code
     * (256 random bits, valid until used) for the start banner's setup link. A bad {@code ADMIN_PASSWORD} fails
     * with INVALID (the start fails naming the rule).
     */
    public Future<Optional<String>> bootstrap(Optional<String> adminUser, Optional<String> adminPassword) {
        return accounts.any().compose(any -> {
            if (any) {
                setupCode = null;
                return Future.succeededFuture(Optional.<String>empty());
            }
            if (adminPassword.isPresent()) {
                String name = AccountRules.username(adminUser.orElse("admin"));
                AccountRules.checkPassword(adminPassword.get());
                return hasher.hash(adminPassword.get())
                    .compose(h -> accounts.create(newAccount(name, Role.ADMIN, h)))
                    .map(a -> {
                        Audit.userChange("ADMIN_PASSWORD", a.username(), "created role=admin");
                        return Optional.<String>empty();
                    })
                    .recover(e -> DomainException.is(e, DomainException.Kind.CONFLICT)
                        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
            }
            String code = Tokens.newToken();
            setupCode = code;
            return Future.succeededFuture(Optional.of(code));
        });
    }

    @Override
    public Future<Boolean> setupOpen() {
        return setupCode == null ? Future.succeededFuture(false) : accounts.any().map(any -> !any);
    }

    @Override
    public Future<SignIn> setup(String code, String username, String password) {
        String expected = setupCode;
        if (expected == null) {
            return Future.failedFuture(DomainException.conflict("setup is done"));
        }
        if (!Tokens.same(expected, code)) {
            Audit.setup(username, false, "wrong_code");
            return Future.failedFuture(DomainException.forbidden("wrong setup code"));
        }
        String name;
        try {
            name = AccountRules.username(username);
            AccountRules.checkPassword(password);
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return hasher.hash(password)
            .compose(h -> accounts.any().compose(any -> any
                ? Future.failedFuture(DomainException.conflict("setup is done"))
                : claimSetup(name))
                .compose(v -> accounts.create(newAccount(name, Role.ADMIN, h))))
            .compose(a -> {
                setupCode = null;
                Audit.setup(a.username(), true, "first_admin");
                return newSession(a);
            })
            .onFailure(e -> {
                if (DomainException.is(e, DomainException.Kind.CONFLICT)) {
                    setupCode = null;
                    Audit.setup(name, false, "already_done");
                }
            });
    }

    /**
     * Exactly one setup wins, whatever the usernames: the first to create the claim document. A claim left by a
     * setup that died before creating the account (older than the lease, and still no account) is taken over with a
     * conditional replace, so two takers race fairly again.
     */
    private Future<Void> claimSetup(String name) {
        JsonObject claim = new JsonObject().put("username", name).put("at", clock.instant().toString());
        return docs.create(SETUP_CLAIM, claim).<Void>mapEmpty().recover(e -> {
            if (!DomainException.is(e, DomainException.Kind.CONFLICT)) {
                return Future.failedFuture(e);
            }
            return docs.get(SETUP_CLAIM).compose(old -> {
                if (old == null || !staleClaim(old.value())) {
                    return Future.failedFuture(DomainException.conflict("setup is done or under way"));
                }
                return accounts.any().compose(any -> any
                    ? Future.failedFuture(DomainException.conflict("setup is done"))
                    : docs.replace(SETUP_CLAIM, claim, old.version()).mapEmpty());
            });
        });
    }

    private boolean staleClaim(JsonObject claim) {
        try {
            return Instant.parse(claim.getString("at")).plus(SETUP_CLAIM_LEASE).isBefore(clock.instant());
        } catch (RuntimeException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- sign-in and sessions

    @Override
    public Future<SignIn> login(String username, String password, String client) {
        return verify(username, password, client, "password")
            .compose(a -> rehashIfWeaker(a, password == null ? "" : password))
            .compose(this::newSession);
    }

    /**
     * The throttled password check behind every sign-in with a password (the API's login, Subsonic's {@code p}):
     * throttle first (429 before any hashing), the same Argon2 work for an unknown user, failures counted under
     * {@code user:} and {@code addr:}, a success resets {@code user:}. The account when the password is right and it
     * is enabled, else UNAUTHENTICATED ({@code invalid_credentials}) for every other case alike.
     */
    Future<Account> verify(String username, String password, String client, String via) {
        String name;
        try {
            name = AccountRules.username(username);
        } catch (DomainException e) {
            name = null;
        }
        String shownName = name != null ? name : username;
        String userKey = userKey(username);
        String addrKey = "addr:" + client;
        String pw = password == null ? "" : password;
        String nfc = name;
        return throttled(userKey, addrKey, shownName, client)
            .compose(v -> (nfc == null ? Future.<Versioned<Account>>succeededFuture(null) : accounts.get(nfc))
                .compose(found -> {
                    Account a = found == null ? null : found.value();
                    // the same work for every outcome: a hash is computed for an unknown user too
                    Future<Boolean> check = pw.getBytes(StandardCharsets.UTF_8).length > AccountRules.MAX_PASSWORD_BYTES
                        ? hasher.verify(hasher.dummy(), "").map(x -> false)
                        : hasher.verify(a == null ? hasher.dummy() : a.hash(), pw);
                    return check.compose(ok -> {
                        if (a == null || !ok || a.disabled()) {
                            String reason = a == null ? "unknown_user" : !ok ? "wrong_password" : "disabled";
                            return failed(userKey, addrKey, shownName, client, reason);
                        }
                        return throttle.reset(userKey).map(x -> {
                            Audit.signIn(a.username(), client, true, via);
                            return a;
                        });
                    });
                }));
    }

    /** Fails RATE_LIMITED (audited) while either key is blocked. */
    Future<Void> throttled(String userKey, String addrKey, String shownName, String client) {
        Future<Long> user = userKey == null ? Future.succeededFuture(0L) : throttle.retryAfter(userKey);
        return user.compose(u -> throttle.retryAfter(addrKey).map(a -> Math.max(u, a))).compose(wait -> {
            if (wait > 0) {
                Audit.signIn(shownName, client, false, "throttled");
                return Future.failedFuture(DomainException.rateLimited("too many failed sign-ins", wait));
            }
            return Future.succeededFuture();
        });
    }

    /** The throttle key of a username: the folded name, or a hash of a malformed one (no memory for huge names). */
    static String userKey(String username) {
        String name;
        try {
            name = AccountRules.username(username);
        } catch (DomainException e) {
            name = null;
        }
        return "user:" + (name != null ? AccountRules.fold(name) : "invalid:" + Tokens.hash(String.valueOf(username)));
    }

    /** The enabled account of that name, else UNAUTHENTICATED (unknown, disabled, malformed name). */
    Future<Account> active(String username) {
        String name;
        try {
            name = AccountRules.username(username);
        } catch (DomainException e) {
            return Future.failedFuture(DomainException.unauthenticated(INVALID_CREDENTIALS));
        }
        return accounts.get(name).compose(a -> a == null || a.value().disabled()
            ? Future.failedFuture(DomainException.unauthenticated(INVALID_CREDENTIALS))
            : Future.succeededFuture(a.value()));
    }

    /** Counts a failure (any sign-in mode) under both keys and answers UNAUTHENTICATED. */
    <T> Future<T> failed(String userKey, String addrKey, String name, String client, String reason) {
        Audit.signIn(name, client, false, reason);
        Future<Long> user = userKey == null ? Future.succeededFuture(0L) : throttle.failed(userKey);
        return user.compose(u -> throttle.failed(addrKey))
            .transform(ignored -> Future.failedFuture(DomainException.unauthenticated(INVALID_CREDENTIALS)));
    }

    /** Rehashes with the configured parameters when the stored hash is weaker; never fails the sign-in. */
    private Future<Account> rehashIfWeaker(Account a, String password) {
        if (!hasher.needsRehash(a.hash())) {
            return Future.succeededFuture(a);
        }
        return hasher.hash(password)
            .compose(h -> accounts.update(a.username(), cur -> cur.hash().equals(a.hash())
                ? cur.withHash(h, clock.instant(), false) : cur))
            .recover(e -> {
                LOG.warn("rehash of an account at sign-in failed (kept the old hash): {}", e.toString());
                return Future.succeededFuture(a);
            });
    }

    /**
     * Stores a new session, then re-reads the account: a change that revoked sessions (password, role, disabled,
     * delete) while this sign-in was hashing moved the generation, and the new session is dropped. Whichever of the
     * two wrote last, no session of the old state survives.
     */
    private Future<SignIn> newSession(Account a) {
        String token = Tokens.newToken();
        String hash = Tokens.hash(token);
        Instant now = clock.instant();
        Instant expires = now.plus(config.sessionLifetime());
        Instant idle = min(now.plus(config.sessionIdle()), expires);
        Session s = new Session(hash, a.username(), a.role(), now, now, expires, idle);
        return sessions.put(s)
            .compose(v -> accounts.get(a.username()))
            .compose(cur -> {
                if (cur == null || cur.value().disabled() || cur.value().generation() != a.generation()) {
                    return sessions.revoke(hash).compose(x -> Future.failedFuture(
                        DomainException.unauthenticated(INVALID_CREDENTIALS)));
                }
                return Future.succeededFuture(new SignIn(token, expires, a.view()));
            });
    }

    @Override
    public Future<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Future.failedFuture(DomainException.unauthenticated("no session"));
        }
        String hash = Tokens.hash(token);
        Principal cached = cache.get(hash);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        long epoch = cache.epoch();
        return sessions.get(hash).compose(s -> {
            Instant now = clock.instant();
            if (s == null || s.endedAt(now)) {
                return Future.failedFuture(DomainException.unauthenticated("session expired or revoked"));
            }
            if (!now.isBefore(s.lastSeen().plus(config.touchEvery()))) {
                sessions.touch(hash, now, min(now.plus(config.sessionIdle()), s.expiresAt()))
                    .onFailure(e -> LOG.debug("session touch failed: {}", e.toString()));
            }
            Principal p = s.principal();
            cache.put(hash, p, epoch);
            return Future.succeededFuture(p);
        });
    }

    @Override
    public Future<Void> logout(String token) {
        if (token == null || token.isEmpty()) {
            return Future.succeededFuture();
        }
        String hash = Tokens.hash(token);
        return sessions.get(hash).compose(s -> sessions.revoke(hash).map(removed -> {
            publish(new SessionsRevoked(null, List.of(hash)));
            if (s != null) {
                Audit.revoked(s.username(), 1, "logout");
            }
            return null;
        }));
    }

    /** Revokes every session of the account (except {@code keep}) on every instance. */
    private Future<Void> revokeAll(String username, String keep, String reason) {
        return sessions.revokeAll(username, keep).map(hashes -> {
            // the username drops cached entries of sessions this store no longer lists; keep's entry stays valid
            publish(new SessionsRevoked(keep == null ? username : null, hashes));
            Audit.revoked(username, hashes.size(), reason);
            return null;
        });
    }

    private void publish(SessionsRevoked fact) {
        cache.drop(fact);
        vertx.eventBus().publish(Addresses.SESSIONS_REVOKED, fact);
    }

    // ---------------------------------------------------------------- own account

    @Override
    public Future<UserView> me(Principal who) {
        return accounts.get(who.username()).compose(a -> a == null
            ? Future.failedFuture(DomainException.unauthenticated("account gone"))
            : Future.succeededFuture(a.value().view()));
    }

    @Override
    public Future<Void> changePassword(Principal who, String current, String next) {
        try {
            AccountRules.checkPassword(next);
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        String userKey = "user:" + AccountRules.fold(who.username());
        return throttle.retryAfter(userKey).compose(wait -> wait > 0
                ? Future.failedFuture(DomainException.rateLimited("too many failed attempts", wait))
                : accounts.get(who.username()))
            .compose(a -> {
                if (a == null) {
                    return Future.failedFuture(DomainException.unauthenticated("account gone"));
                }
                return hasher.verify(a.value().hash(), current == null ? "" : current).compose(ok -> {
                    if (!ok) {
                        Audit.passwordChange(who.username(), false);
                        return throttle.failed(userKey).transform(x -> Future.failedFuture(
                            DomainException.forbidden("current password is wrong")));
                    }
                    return hasher.hash(next)
                        .compose(h -> accounts.update(who.username(), cur -> cur.withHash(h, clock.instant(), true)))
                        .compose(v -> {
                            Audit.passwordChange(who.username(), true);
                            return revokeAll(who.username(), who.sessionId(), "password_change");
                        });
                });
            });
    }

    // ---------------------------------------------------------------- admin

    @Override
    public Future<List<UserView>> list(Principal by) {
        return admin(by).compose(v -> accounts.all()).map(all -> all.stream().map(Account::view)
            .sorted(Comparator.comparing((UserView u) -> AccountRules.fold(u.username()))).toList());
    }

    @Override
    public Future<UserView> create(Principal by, String username, String password, Role role) {
        String name;
        try {
            name = AccountRules.username(username);
            AccountRules.checkPassword(password);
            if (role == null) {
                throw DomainException.invalid("role must be admin or listener");
            }
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        return admin(by).compose(v -> hasher.hash(password))
            .compose(h -> accounts.create(newAccount(name, role, h)))
            .map(a -> {
                Audit.userChange(by.username(), a.username(), "created role=" + role.wire());
                return a.view();
            });
    }

    @Override
    public Future<UserView> update(Principal by, String username, UserChange change) {
        String name;
        try {
            name = AccountRules.username(username);
            if (change.password() != null) {
                AccountRules.checkPassword(change.password());
            }
            boolean self = AccountRules.fold(name).equals(AccountRules.fold(by.username()));
            if (self && (change.role() == Role.LISTENER || Boolean.TRUE.equals(change.disabled()))) {
                throw DomainException.invalid("an admin cannot demote or disable their own account");
            }
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        Future<String> newHash = change.password() == null ? Future.succeededFuture(null) : admin(by)
            .compose(v -> hasher.hash(change.password()));
        return admin(by).compose(v -> newHash).compose(h -> accounts.update(name, cur -> {
            Instant now = clock.instant();
            Account next = cur.with(change.role() == null ? cur.role() : change.role(),
                change.disabled() == null ? cur.disabled() : change.disabled(), now);
            return h == null ? next : next.withHash(h, now, true);
        }).compose(a -> {
            Audit.userChange(by.username(), a.username(), describe(change));
            return revokeAll(a.username(), null, "user_change").map(a.view());
        }));
    }

    private static String describe(UserChange c) {
        StringBuilder b = new StringBuilder("updated");
        if (c.password() != null) {
            b.append(" password");
        }
        if (c.role() != null) {
            b.append(" role=").append(c.role().wire());
        }
        if (c.disabled() != null) {
            b.append(" disabled=").append(c.disabled());
        }
        return b.toString();
    }

    @Override
    public Future<Void> delete(Principal by, String username) {
        String name;
        try {
            name = AccountRules.username(username);
        } catch (DomainException e) {
            return Future.failedFuture(e);
        }
        if (AccountRules.fold(name).equals(AccountRules.fold(by.username()))) {
            return Future.failedFuture(DomainException.invalid("an admin cannot delete their own account"));
        }
        return admin(by).compose(v -> accounts.get(name)).compose(a -> {
            if (a == null) {
                return Future.failedFuture(DomainException.notFound("user"));
            }
            return accounts.delete(name).compose(v -> {
                Audit.userChange(by.username(), a.value().username(), "deleted");
                return revokeAll(a.value().username(), null, "user_deleted");
            });
        });
    }

    private static Future<Void> admin(Principal by) {
        return by != null && by.isAdmin() ? Future.succeededFuture()
            : Future.failedFuture(DomainException.forbidden("admin only"));
    }

    private Account newAccount(String name, Role role, String hash) {
        Instant now = clock.instant();
        return new Account(name, role, false, hash, now, now, 0);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Test seam: Argon2 computations started by this instance. */
    long hashesStarted() {
        return hasher.started();
    }

    /** Test seam: how many sessions this instance trusts from its cache now. */
    int cachedSessions() {
        return cache.size();
    }

    @Override
    public void close() {
        revocations.unregister();
        pool.close();
    }
}
