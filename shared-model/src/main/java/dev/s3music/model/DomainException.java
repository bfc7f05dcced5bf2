package dev.s3music.model;

/**
 * Domain failures, mapped to HTTP in one place by the API: not found (404), invalid input (400),
 * precondition failed (412), conflict (409), transient dependency failure (503), rate limited (429).
 * Not-found is an answer, not a fault: never retried. A conflict is an answer too: a conditional write lost to
 * another writer (the document exists, or changed since it was read); the caller reads again and decides.
 */
public class DomainException extends RuntimeException {

    public enum Kind { NOT_FOUND, INVALID, PRECONDITION_FAILED, CONFLICT, TRANSIENT, RATE_LIMITED }

    private final Kind kind;

    public DomainException(Kind kind, String message) {
        this(kind, message, null);
    }

    public DomainException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, cause != null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
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
