package dev.s3music.api.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;

/**
 * The session cookie: {@code s3music_session}, HttpOnly (no script reads it), SameSite=Lax, Path=/, Secure when the
 * request came over TLS (its own connection or a trusted proxy's {@code X-Forwarded-Proto}), lasting until the
 * session's absolute expiry.
 */
public final class SessionCookie {

    public static final String NAME = "s3music_session";

    private SessionCookie() {
    }

    static void set(RoutingContext rc, TrustedProxies proxies, String token, Instant expiresAt) {
        long seconds = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        rc.response().addCookie(base(rc, proxies, token).setMaxAge(seconds));
    }

    static void clear(RoutingContext rc, TrustedProxies proxies) {
        rc.response().addCookie(base(rc, proxies, "").setMaxAge(0));
    }

    private static Cookie base(RoutingContext rc, TrustedProxies proxies, String value) {
        return Cookie.cookie(NAME, value)
            .setPath("/")
            .setHttpOnly(true)
            .setSameSite(CookieSameSite.LAX)
            .setSecure(proxies.secure(rc.request()));
    }
}
