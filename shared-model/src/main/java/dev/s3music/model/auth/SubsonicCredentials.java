package dev.s3music.model.auth;

import io.vertx.core.Future;

/**
 * How Subsonic clients sign in (they send credentials with every request, never a session): the account password,
 * a per-user Subsonic app password the server can read (token sign-in {@code t = md5(password + salt)} needs the
 * secret in clear), or an API key (OpenSubsonic {@code apiKeyAuthentication}). Implemented by the accounts module;
 * every failed check counts in the same {@link LoginThrottle} as {@code POST /api/auth/login}.
 *
 * <p>Failures are {@link dev.s3music.model.DomainException}s: {@code UNAUTHENTICATED} (wrong or unknown
 * credentials, a disabled account: Subsonic error 40, or 44 for an API key), {@code PRECONDITION_FAILED} (token
 * sign-in for a user who has no app password: error 41), {@code RATE_LIMITED} (throttled), {@code TRANSIENT}.
 */
public interface SubsonicCredentials {

    /**
     * {@code u} + {@code p}: the app password or the account password (already decoded from {@code enc:}). A
     * successful check of the account password is trusted for a short while (a client sends it with every request;
     * Argon2 per request would be the server's whole budget); a wrong password is never cached.
     */
    Future<Principal> password(String username, String password, String client);

    /** {@code u} + {@code t} + {@code s}: {@code t} is the hex MD5 of the user's app password followed by {@code s}. */
    Future<Principal> token(String username, String token, String salt, String client);

    /** {@code apiKey}: the account the key was made for. */
    Future<Principal> apiKey(String apiKey, String client);

    /** A new app password for the user (replacing any previous one), to show once. */
    Future<String> newAppPassword(Principal who);

    /** A new API key for the user (earlier keys stay valid), to show once; only its hash is kept. */
    Future<String> newApiKey(Principal who);
}
