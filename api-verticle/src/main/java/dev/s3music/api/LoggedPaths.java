package dev.s3music.api;

/**
 * A request path as log lines may show it: a credential carried in the path (the token of a share link,
 * {@code /s/{token}/...}) is replaced by {@code {token}}, so no log line holds a working link.
 */
public final class LoggedPaths {

    private LoggedPaths() {
    }

    public static String of(String path) {
        if (path == null || !path.startsWith("/s/")) {
            return path;
        }
        int end = path.indexOf('/', 3);
        return "/s/{token}" + (end < 0 ? "" : path.substring(end));
    }
}
