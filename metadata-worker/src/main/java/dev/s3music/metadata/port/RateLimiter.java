package dev.s3music.metadata.port;

import io.vertx.core.Future;

/**
 * One budget of calls to an external provider shared by every instance of the cluster: at most {@code rate}
 * permits in any sliding window. Every remote call takes a permit first (retries too).
 */
public interface RateLimiter {

    /**
     * Takes one permit if the budget allows it now.
     *
     * @return 0 when the permit was granted, else how many milliseconds to wait before asking again
     */
    Future<Long> tryAcquire();

    /**
     * Grants no permit to anyone for at least this long (the provider said to slow down: 429, or its remaining
     * count is low). A shorter pause never shortens a longer one already set.
     */
    Future<Void> pause(long millis);
}
