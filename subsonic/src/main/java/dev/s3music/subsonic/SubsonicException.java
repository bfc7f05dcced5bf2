package dev.s3music.subsonic;

/**
 * A Subsonic error: the code of the spec and a message, answered as {@code status="failed"} with HTTP 200.
 * 0 generic, 10 a required parameter is missing, 40 wrong username or password, 41 token sign-in not supported for
 * this user, 42 sign-in mode not supported, 43 conflicting sign-in modes, 44 invalid API key, 50 not authorised,
 * 70 not found. (20 and 30, client or server too old, are never sent: any version is served.)
 */
public final class SubsonicException extends RuntimeException {

    public static final int GENERIC = 0;
    public static final int MISSING_PARAMETER = 10;
    public static final int WRONG_CREDENTIALS = 40;
    public static final int TOKEN_NOT_SUPPORTED = 41;
    public static final int MODE_NOT_SUPPORTED = 42;
    public static final int CONFLICTING_MODES = 43;
    public static final int INVALID_API_KEY = 44;
    public static final int NOT_AUTHORISED = 50;
    public static final int NOT_FOUND = 70;

    private final int code;

    public SubsonicException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SubsonicException missing(String parameter) {
        return new SubsonicException(MISSING_PARAMETER, "required parameter is missing: " + parameter);
    }

    public static SubsonicException notFound(String what) {
        return new SubsonicException(NOT_FOUND, what + " not found");
    }

    public static SubsonicException invalid(String message) {
        return new SubsonicException(GENERIC, message);
    }
}
