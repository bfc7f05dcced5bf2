package dev.s3music.metadata.discogs;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How to talk to Discogs.
 *
 * @param baseUrl        {@code https://api.discogs.com}, or the fake's URL ({@code DISCOGS_URL})
 * @param token          the personal access token ({@code DISCOGS_TOKEN}), or null: then metadata is unavailable
 * @param userAgent      Discogs requires a descriptive User-Agent naming the application and its version
 * @param requestTimeout per request, connection included
 * @param maxRetries     retries after a 429, a 5xx or a network failure (each retry takes a new permit)
 * @param backoffBase    first backoff; doubles per retry, full jitter
 * @param backoffMax     the largest backoff
 * @param lowRemaining   when {@code X-Discogs-Ratelimit-Remaining} is at or below this, the whole cluster pauses
 *                       one slot per missing call: Discogs sees more use than our budget (another client on
 *                       the same token, or a lower limit). Negative disables it.
 * @param slot           the spacing of calls at the configured rate (window / rate), the unit of that pause
 */
public record DiscogsConfig(String baseUrl, String token, String userAgent, Duration requestTimeout, int maxRetries,
                            Duration backoffBase, Duration backoffMax, int lowRemaining, Duration slot) {

    public static final String DEFAULT_BASE_URL = "https://api.discogs.com";
    public static final String PROJECT = "S3MusicServer";
    public static final String PROJECT_URL = "https://github.com/s3music/s3-music-server";

    public DiscogsConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0..10, was " + maxRetries);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** Production defaults: 10 s timeout, 3 retries from 1 s up to 30 s, pause when Discogs reports 0 left. */
    public static DiscogsConfig of(String baseUrl, String token, int rate, Duration window) {
        return new DiscogsConfig(baseUrl, token, defaultUserAgent(), Duration.ofSeconds(10), 3, Duration.ofSeconds(1),
            Duration.ofSeconds(30), 0, window.dividedBy(Math.max(1, rate)));
    }

    public boolean hasToken() {
        return token != null;
    }

    public DiscogsConfig withBackoff(Duration base, Duration max) {
        return new DiscogsConfig(baseUrl, token, userAgent, requestTimeout, maxRetries, base, max, lowRemaining, slot);
    }

    public DiscogsConfig withRetries(int retries) {
        return new DiscogsConfig(baseUrl, token, userAgent, requestTimeout, retries, backoffBase, backoffMax,
            lowRemaining, slot);
    }

    public DiscogsConfig withLowRemaining(int low) {
        return new DiscogsConfig(baseUrl, token, userAgent, requestTimeout, maxRetries, backoffBase, backoffMax, low,
            slot);
    }

    public DiscogsConfig withTimeout(Duration timeout) {
        return new DiscogsConfig(baseUrl, token, userAgent, timeout, maxRetries, backoffBase, backoffMax,
            lowRemaining, slot);
    }

    /** {@code S3MusicServer/0.1.0-SNAPSHOT +https://github.com/s3music/s3-music-server}, as Discogs asks. */
    public static String defaultUserAgent() {
        return PROJECT + "/" + version() + " +" + PROJECT_URL;
    }

    /** The project version, filtered into {@code metadata-worker.properties} by Maven. */
    public static String version() {
        try (InputStream in = DiscogsConfig.class.getResourceAsStream("/metadata-worker.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    @Override
    public String toString() {
        // never print the token
        return "DiscogsConfig[baseUrl=" + baseUrl + ", token=" + (token == null ? "none" : "***") + ", userAgent="
            + userAgent + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries + "]";
    }
}
