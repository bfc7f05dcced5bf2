package dev.s3music.api;

/**
 * This instance refuses more work of a kind for now (its stream cap is reached): 503 with {@code Retry-After},
 * without a log line per refusal (they come in bursts; the refusal counter says how many).
 */
public final class Overloaded extends RuntimeException {

    public Overloaded(String message) {
        super(message, null, false, false);
    }
}
