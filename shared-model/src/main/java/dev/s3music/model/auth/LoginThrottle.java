package dev.s3music.model.auth;

import io.vertx.core.Future;

/**
 * Failed sign-ins counted per key ({@code user:<name>}, {@code addr:<client>}) for the whole cluster (Redis in
 * production, memory in the embedded default), following a {@link ThrottlePolicy}. Times are the store's clock
 * (Redis {@code TIME}), so instances with skewed clocks agree.
 *
 * <p>Failures: {@code TRANSIENT} when the store cannot be reached.
 */
public interface LoginThrottle {

    /** Seconds until {@code key} may try again (rounded up), 0 when it may now. */
    Future<Long> retryAfter(String key);

    /** Counts one failure of {@code key}; the seconds it is now blocked for (rounded up), 0 when still allowed. */
    Future<Long> failed(String key);

    /** Forgets the failures of {@code key} (a successful sign-in). */
    Future<Void> reset(String key);
}
