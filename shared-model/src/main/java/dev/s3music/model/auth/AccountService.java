package dev.s3music.model.auth;

import io.vertx.core.Future;

import java.util.List;

/**
 * Accounts, sign-in and sessions: what the HTTP auth handler and the account routes call. Implemented by the
 * accounts module over the {@code DocumentStore} (accounts in S3) and the session and throttle stores.
 *
 * <p>Failures are {@link dev.s3music.model.DomainException}s: {@code UNAUTHENTICATED} (401: wrong credentials,
 * unknown, expired or revoked token, disabled account), {@code FORBIDDEN} (403), {@code INVALID} (400: a username or
 * password breaking the rules), {@code CONFLICT} (409: the username exists), {@code NOT_FOUND} (404),
 * {@code RATE_LIMITED} (429 with its retry-after: sign-in throttled), {@code TRANSIENT} (503).
 */
public interface AccountService {

    /**
     * Signs in. An unknown user costs the same work (a hash is computed) and gets the same failure as a wrong
     * password. {@code client} is the client address the throttle counts failures by.
     */
    Future<SignIn> login(String username, String password, String client);

    /** The principal of a session token; fails UNAUTHENTICATED when the token is unknown, expired or revoked. */
    Future<Principal> authenticate(String token);

    /** Ends the session of this token (on every instance within a second). */
    Future<Void> logout(String token);

    /** The signed-in user's own account. */
    Future<UserView> me(Principal who);

    /** Changes one's own password, given the current one; revokes the user's other sessions. */
    Future<Void> changePassword(Principal who, String current, String next);

    /** Admin: every account. */
    Future<List<UserView>> list(Principal by);

    /** Admin: a new account. */
    Future<UserView> create(Principal by, String username, String password, Role role);

    /** Admin: changes an account; a password change or disabling revokes its sessions. */
    Future<UserView> update(Principal by, String username, UserChange change);

    /** Admin: removes an account and revokes its sessions. */
    Future<Void> delete(Principal by, String username);

    /** Whether the one-time setup is still open (no account exists). */
    Future<Boolean> setupOpen();

    /**
     * {@code POST /api/setup}: creates the first admin with the one-time code printed at start. Two setups racing
     * end with exactly one admin (the other gets CONFLICT).
     */
    Future<SignIn> setup(String code, String username, String password);
}
