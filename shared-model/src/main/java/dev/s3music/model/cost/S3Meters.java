package dev.s3music.model.cost;

import java.util.Locale;

/**
 * Names of the S3 usage meters: the S3 adapter counts requests where it makes them, the API's cost panel reads them.
 * Plain names (Micrometer dotted style; Prometheus shows {@code s3music_s3_requests_total{kind="get_ranged"}}), so
 * neither side depends on the other.
 */
public final class S3Meters {

    /** Counter, tag {@link #KIND}: requests sent to S3 (every attempt, retries included). */
    public static final String REQUESTS = "s3music.s3.requests";
    /** Counter: body bytes read from S3 by this process (what Standard-IA bills as retrieval). */
    public static final String READ_BYTES = "s3music.s3.read.bytes";
    /** Counter, tag {@link #TARGET} ({@code s3} or {@code cloudfront}): signed links handed out (redirect mode). */
    public static final String LINKS = "s3music.s3.links";
    /** Counter, tag {@link #TARGET}: bytes of the objects or ranges those links grant (an estimate of what is read). */
    public static final String LINK_BYTES = "s3music.s3.link.bytes";
    public static final String KIND = "kind";
    public static final String TARGET = "target";
    public static final String TARGET_S3 = "s3";
    public static final String TARGET_CLOUDFRONT = "cloudfront";

    /** The kinds of S3 request, each with its own price class. */
    public enum Kind {
        /** GET with a Range header: a seek, a tag read, a resumed stream. */
        GET_RANGED,
        /** GET of a whole object (a play from the start, a document). */
        GET_FULL,
        HEAD,
        LIST,
        PUT,
        /** Free on S3; counted so the panel shows every request. */
        DELETE;

        /** The meter tag value: {@code get_ranged}, {@code head}... */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private S3Meters() {
    }
}
