package dev.s3music.accounts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events as one structured line each on the logger {@code dev.s3music.audit}, in {@code key=value} form
 * ({@code event=signin outcome=failure user="ann" client=10.0.0.7 reason=wrong_password}). Values that a client
 * chose are quoted with quotes, backslashes and control characters escaped, so a crafted username cannot forge a
 * line. Never a password, token or setup code: callers pass none, and no method takes one.
 */
final class Audit {

    static final Logger LOG = LoggerFactory.getLogger("dev.s3music.audit");
    /** A username is at most 64 characters; anything longer a client sent is cut in the log. */
    static final int MAX_VALUE = 128;

    private Audit() {
    }

    static void signIn(String user, String client, boolean ok, String reason) {
        LOG.info("event=signin outcome={} user={} client={} reason={}", ok ? "success" : "failure", q(user), q(client), reason);
    }

    /** A Subsonic app password or API key was issued (never the secret itself). */
    static void credential(String user, String kind) {
        LOG.info("event=credential_created user={} kind={}", q(user), kind);
    }

    static void setup(String user, boolean ok, String reason) {
        LOG.info("event=setup outcome={} user={} reason={}", ok ? "success" : "failure", q(user), reason);
    }

    static void userChange(String by, String user, String change) {
        LOG.info("event=user_change by={} user={} change={}", q(by), q(user), change);
    }

    static void passwordChange(String user, boolean ok) {
        LOG.info("event=password_change outcome={} user={}", ok ? "success" : "failure", q(user));
    }

    static void revoked(String user, int sessions, String reason) {
        LOG.info("event=sessions_revoked user={} sessions={} reason={}", q(user), sessions, reason);
    }

    static void share(String action, String by, String id, String target) {
        LOG.info("event=share_{} by={} share={} target={}", action, q(by), q(id), q(target));
    }

    /** Quoted and escaped, at most {@link #MAX_VALUE} characters (then {@code ...}); {@code -} for null. */
    static String q(String v) {
        if (v == null) {
            return "-";
        }
        if (v.length() > MAX_VALUE) {
            v = v.substring(0, MAX_VALUE) + "...";
        }
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        v.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append('"').toString();
    }
}
