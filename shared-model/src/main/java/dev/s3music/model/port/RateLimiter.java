package dev.s3music.model.port;

import io.vertx.core.Future;

/**
 * One budget of calls to an external provider shared by every instance of the cluster: at most {@code rate}
 * grants in any sliding window. Every remote call takes a grant first (retries too), and reports when it ended.
 */
public interface RateLimiter {

    /**
     * The answer to {@link #tryAcquire()}: a grant id, or how long to wait before asking again.
     *
     * @param id         the grant, or null when refused
     * @param waitMillis when refused, how many milliseconds to wait before asking again
     */
    record Grant(String id, long waitMillis) {

        public boolean granted() {
            return id != null;
        }
    }

    /** Takes one grant if the budget allows it now. */
    Future<Grant> tryAcquire();

    /**
     * The call of this grant ended now: it is counted from now on, the latest moment the provider can have seen
     * it, so a call delayed on its way (a cold connection, a pause) never bunches with later ones in the
     * provider's window.
     */
    Future<Void> completed(String grantId);

    /**
     * Grants nothing to anyone for at least this long (the provider said to slow down: 429, or its remaining
     * count is low). A shorter pause never shortens a longer one already set.
     */
    Future<Void> pause(long millis);
}
