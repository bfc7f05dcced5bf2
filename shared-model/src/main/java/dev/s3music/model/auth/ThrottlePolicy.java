package dev.s3music.model.auth;

import java.time.Duration;

/**
 * When failed sign-ins block a key (a username or a client address): from the {@code limit}-th failure counted
 * within {@code window} of the previous one, the key is blocked for {@code firstBlock}, doubling with every further
 * failure, never more than {@code maxBlock}. The count is forgotten {@code window} after the last failure (or when
 * its block ends, if later), or at once on {@link LoginThrottle#reset}.
 */
public record ThrottlePolicy(int limit, Duration window, Duration firstBlock, Duration maxBlock) {

    /** 5 failures in 15 minutes, then 1 minute, 2, 4, ... at most 1 hour: slows a guesser to a few tries an hour. */
    public static final ThrottlePolicy DEFAULT =
        new ThrottlePolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(1));

    public ThrottlePolicy {
        if (limit < 1 || window.isNegative() || window.isZero() || firstBlock.isNegative() || firstBlock.isZero()
            || maxBlock.compareTo(firstBlock) < 0) {
            throw new IllegalArgumentException("bad throttle policy");
        }
    }

    /** The block after the {@code count}-th failure, in milliseconds (0 below the limit). */
    public long blockMillis(long count) {
        if (count < limit) {
            return 0;
        }
        long doublings = Math.min(count - limit, 40);
        double ms = firstBlock.toMillis() * Math.pow(2, doublings);
        return (long) Math.min(ms, maxBlock.toMillis());
    }

    /** How long the count of a key is kept after a failure that blocks it for {@code blockMillis}. */
    public long keepMillis(long blockMillis) {
        return Math.max(window.toMillis(), blockMillis);
    }
}
