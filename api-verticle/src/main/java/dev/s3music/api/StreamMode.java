package dev.s3music.api;

import java.util.Locale;
import java.util.Optional;

/**
 * How {@link StreamService} hands a song's body over ({@code STREAM_MODE}).
 * <ul>
 *   <li>{@link #PROXY}: the server reads S3 and relays the bytes (Range, backpressure, resume);</li>
 *   <li>{@link #REDIRECT}: the server answers 302 to a short-lived signed URL of the one object (S3 presigned, or
 *       CloudFront), so the bytes never pass through it; the client sends its Range to S3 (or the edge) itself.</li>
 * </ul>
 * A request may choose with {@code ?redirect=true} or {@code ?redirect=false} (the mode otherwise).
 */
public enum StreamMode {
    PROXY,
    REDIRECT;

    /** {@code proxy} or {@code redirect}, any case; empty for anything else. */
    public static Optional<StreamMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "proxy" -> Optional.of(PROXY);
            case "redirect" -> Optional.of(REDIRECT);
            default -> Optional.empty();
        };
    }
}
