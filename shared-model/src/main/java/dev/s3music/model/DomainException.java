package dev.s3music.model;

/**
 * Domain failures, mapped to HTTP in one place by the API: not found (404), invalid input (400),
 * precondition failed (412), conflict (409), transient dependency failure (503), rate limited (429, with the seconds
 * to wait when known), not signed in (401), not allowed (403).
 * Not-found is an answer, not a fault: never retried. A conflict is an answer too: a conditional write lost to
 * another writer (the document exists, or changed since it was read); the caller reads again and decides.
 */
public class DomainException extends RuntimeException {

    public enum Kind { NOT_FOUND, INVALID, PRECONDITION_FAILED, CONFLICT, TRANSIENT, RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN }

    private final Kind kind;
    private final long retryAfterSeconds;

    public DomainException(Kind kind, String message) {
        this(kind, message, null);
    }

    public DomainException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, 0);
    }

    private DomainException(Kind kind, String message, Throwable cause, long retryAfterSeconds) {
        super(message, cause, false, cause != null);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds the caller should wait before trying again (a throttled sign-in); 0 when not known. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Too many attempts: try again in {@code retryAfterSeconds} (at least 1). */
    public static DomainException rateLimited(String message, long retryAfterSeconds) {
        return new DomainException(Kind.RATE_LIMITED, message, null, Math.max(1, retryAfterSeconds));
    }

    /** Not signed in, or the credentials or token are wrong (401). */
    public static DomainException unauthenticated(String message) {
        return new DomainException(Kind.UNAUTHENTICATED, message);
    }

    /** Signed in, but not allowed to (403). */
    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, message);
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, what + " not found");
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID, message);
    }

    /** A conditional write that lost: {@code what} exists already, or is no longer at the version expected. */
    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    public static DomainException transientFailure(String message, Throwable cause) {
        return new DomainException(Kind.TRANSIENT, message, cause);
    }

    public static boolean is(Throwable t, Kind kind) {
        return t instanceof DomainException d && d.kind == kind;
    }
}
