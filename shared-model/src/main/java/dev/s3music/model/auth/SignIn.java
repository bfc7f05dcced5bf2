package dev.s3music.model.auth;

import java.time.Instant;

/**
 * A new session: {@code POST /api/auth/login} answers {@code {"token","expiresAt","user":{"username","role"}}}.
 *
 * @param token     the session token (at least 128 random bits, URL-safe); only its hash is stored
 * @param expiresAt the absolute expiry (the idle expiry may end it sooner)
 */
public record SignIn(String token, Instant expiresAt, UserView user) {
}
