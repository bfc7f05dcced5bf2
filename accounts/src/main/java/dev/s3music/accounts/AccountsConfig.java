package dev.s3music.accounts;

import dev.s3music.model.auth.ThrottlePolicy;

import java.time.Duration;

/**
 * What the composition root may tune; {@link #defaults()} is what a start without settings gets.
 *
 * @param sessionLifetime  absolute session expiry: 30 days, so a stolen token is useful a month at most and a student
 *                         signs in about once a month
 * @param sessionIdle      idle expiry: 7 days, a session unused for a week (a lost phone, a shared computer left
 *                         signed in) ends on its own; a weekly lesson keeps it alive
 * @param argon2           hashing cost, at least OWASP's minimum (checked)
 * @param hashingThreads   threads of the {@code argon2} worker pool (about the cores: hashing is CPU bound)
 * @param maxPendingHashes hashes queued or running at most; sign-ins beyond are refused at once (429, retry 1 s).
 *                         Each running hash holds {@code argon2.memoryKiB}, so memory stays under
 *                         {@code hashingThreads x m}, whatever the flood
 * @param cacheFor         how long a checked session is trusted in-process without asking the store (at most 1 s:
 *                         the bound on revocation reaching an instance that missed the revocation event)
 * @param touchEvery       the idle expiry is pushed forward at most this often per session (1 min: fewer writes)
 * @param maxShareLifetime the longest {@code expiresIn} of a share link
 * @param writeAttempts    attempts of a conditional account write that keeps losing to other writers
 * @param throttle         failed sign-ins policy, for the throttle adapter the composition root builds
 */
public record AccountsConfig(Duration sessionLifetime, Duration sessionIdle, Argon2Params argon2, int hashingThreads,
                             int maxPendingHashes, Duration cacheFor, Duration touchEvery, Duration maxShareLifetime,
                             int writeAttempts, ThrottlePolicy throttle) {

    public AccountsConfig {
        if (!argon2.meetsOwaspMinimum()) {
            throw new IllegalArgumentException("Argon2 parameters below OWASP's minimum (m=19456,t=2,p=1): " + argon2);
        }
        if (cacheFor.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("cacheFor must be at most 1 s (revocation bound), was " + cacheFor);
        }
        if (hashingThreads < 1 || maxPendingHashes < hashingThreads || writeAttempts < 1
            || sessionIdle.compareTo(sessionLifetime) > 0 || sessionIdle.isNegative() || sessionIdle.isZero()) {
            throw new IllegalArgumentException("bad accounts config");
        }
    }

    public static AccountsConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new AccountsConfig(Duration.ofDays(30), Duration.ofDays(7), Argon2Params.OWASP_MINIMUM, cores,
            cores * 8, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofDays(365), 10, ThrottlePolicy.DEFAULT);
    }

    public AccountsConfig withArgon2(Argon2Params p) {
        return new AccountsConfig(sessionLifetime, sessionIdle, p, hashingThreads, maxPendingHashes, cacheFor,
            touchEvery, maxShareLifetime, writeAttempts, throttle);
    }

    public AccountsConfig withSessions(Duration lifetime, Duration idle) {
        return new AccountsConfig(lifetime, idle, argon2, hashingThreads, maxPendingHashes, cacheFor, touchEvery,
            maxShareLifetime, writeAttempts, throttle);
    }

    public AccountsConfig withHashing(int threads, int maxPending) {
        return new AccountsConfig(sessionLifetime, sessionIdle, argon2, threads, maxPending, cacheFor, touchEvery,
            maxShareLifetime, writeAttempts, throttle);
    }
}
