package dev.s3music.api.auth;

import dev.s3music.model.DomainException;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.SignIn;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.auth.UserView;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory stand-in for the accounts module: plain passwords, sessions in a map, no hashing; a username is
 * locked out (429) after {@link #LOCKOUT} failures, so the HTTP side's 429 and {@code Retry-After} can be seen.
 */
public final class FakeAccounts implements AccountService {

    static final int LOCKOUT = 5;
    static final String SETUP_CODE = "setup-code-123";

    private record Account(UserView view, String password) {
    }

    private final Map<String, Account> users = new ConcurrentHashMap<>();
    private final Map<String, Principal> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    /** The clients of the last sign-ins, as the HTTP side passed them. */
    final List<String> clients = java.util.Collections.synchronizedList(new ArrayList<>());

    public FakeAccounts add(String username, String password, Role role) {
        users.put(key(username), new Account(new UserView(username, role, false, Instant.now()), password));
        return this;
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private SignIn session(UserView u) {
        String token = UUID.randomUUID() + "." + UUID.randomUUID();
        sessions.put(token, new Principal(u.username(), u.role(), Integer.toHexString(token.hashCode())));
        return new SignIn(token, Instant.now().plusSeconds(3600), u);
    }

    @Override
    public Future<SignIn> login(String username, String password, String client) {
        clients.add(client);
        AtomicInteger failed = failures.computeIfAbsent(key(username), k -> new AtomicInteger());
        if (failed.get() >= LOCKOUT) {
            return Future.failedFuture(DomainException.rateLimited("too many failed sign-ins", 60));
        }
        Account a = users.get(key(username));
        if (a == null || !a.password().equals(password) || a.view().disabled()) {
            failed.incrementAndGet();
            return Future.failedFuture(DomainException.unauthenticated("invalid credentials"));
        }
        return Future.succeededFuture(session(a.view()));
    }

    /** When set, sessions are checked on this Vert.x after a timer, as a store over the network answers later. */
    volatile io.vertx.core.Vertx later;

    @Override
    public Future<Principal> authenticate(String token) {
        Principal p = sessions.get(token);
        Future<Principal> answer = p == null ? Future.failedFuture(DomainException.unauthenticated("no such session"))
            : Future.succeededFuture(p);
        if (later == null) {
            return answer;
        }
        io.vertx.core.Promise<Principal> delayed = io.vertx.core.Promise.promise();
        later.setTimer(20, id -> answer.onComplete(delayed));
        return delayed.future();
    }

    @Override
    public Future<Void> logout(String token) {
        sessions.remove(token);
        return Future.succeededFuture();
    }

    /** Ends every session of a user, as disabling or deleting does. */
    void revokeAll(String username) {
        sessions.values().removeIf(p -> p.username().equalsIgnoreCase(username));
    }

    @Override
    public Future<UserView> me(Principal who) {
        Account a = users.get(key(who.username()));
        return a == null ? Future.failedFuture(DomainException.notFound("user")) : Future.succeededFuture(a.view());
    }

    @Override
    public Future<Void> changePassword(Principal who, String current, String next) {
        Account a = users.get(key(who.username()));
        if (a == null || !a.password().equals(current)) {
            return Future.failedFuture(DomainException.unauthenticated("wrong current password"));
        }
        if (next.length() < 10) {
            return Future.failedFuture(DomainException.invalid("password too short"));
        }
        users.put(key(who.username()), new Account(a.view(), next));
        return Future.succeededFuture();
    }

    @Override
    public Future<List<UserView>> list(Principal by) {
        return admin(by).map(v -> users.values().stream().map(Account::view).toList());
    }

    @Override
    public Future<UserView> create(Principal by, String username, String password, Role role) {
        return admin(by).compose(v -> {
            if (password.length() < 10) {
                return Future.failedFuture(DomainException.invalid("password too short"));
            }
            UserView u = new UserView(username, role, false, Instant.now());
            if (users.putIfAbsent(key(username), new Account(u, password)) != null) {
                return Future.failedFuture(DomainException.conflict("user exists"));
            }
            return Future.succeededFuture(u);
        });
    }

    @Override
    public Future<UserView> update(Principal by, String username, UserChange change) {
        return admin(by).compose(v -> {
            Account a = users.get(key(username));
            if (a == null) {
                return Future.failedFuture(DomainException.notFound("user " + username));
            }
            UserView u = new UserView(a.view().username(), change.role() == null ? a.view().role() : change.role(),
                change.disabled() == null ? a.view().disabled() : change.disabled(), a.view().created());
            users.put(key(username), new Account(u, change.password() == null ? a.password() : change.password()));
            if (u.disabled() || change.password() != null) {
                revokeAll(username);
            }
            return Future.succeededFuture(u);
        });
    }

    @Override
    public Future<Void> delete(Principal by, String username) {
        return admin(by).compose(v -> {
            if (users.remove(key(username)) == null) {
                return Future.failedFuture(DomainException.notFound("user " + username));
            }
            revokeAll(username);
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<Boolean> setupOpen() {
        return Future.succeededFuture(users.isEmpty());
    }

    @Override
    public Future<SignIn> setup(String code, String username, String password) {
        if (!users.isEmpty()) {
            return Future.failedFuture(DomainException.conflict("setup is closed"));
        }
        if (!SETUP_CODE.equals(code)) {
            return Future.failedFuture(DomainException.unauthenticated("wrong setup code"));
        }
        UserView u = new UserView(username, Role.ADMIN, false, Instant.now());
        users.put(key(username), new Account(u, password));
        return Future.succeededFuture(session(u));
    }

    private static Future<Void> admin(Principal by) {
        return by.isAdmin() ? Future.succeededFuture() : Future.failedFuture(DomainException.forbidden("admins only"));
    }
}
