package dev.s3music.api;

import io.vertx.core.http.HttpMethod;

import java.util.Objects;
import java.util.Set;

/**
 * One line of the route table: which methods on which path, and who may call them.
 *
 * @param methods the methods; empty for every method
 * @param path    an absolute path; a segment {@code {name}} matches any one non-empty segment, a final {@code *}
 *                matches any rest (including nothing): {@code /api/songs/{id}/stream}, {@code /health/*}
 * @param access  who may call it
 */
public record RouteRule(Set<HttpMethod> methods, String path, Access access) {

    public RouteRule {
        methods = Set.copyOf(methods);
        Objects.requireNonNull(access, "access");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }

    public static RouteRule of(Access access, String path, HttpMethod... methods) {
        return new RouteRule(Set.of(methods), path, access);
    }

    /** Whether this rule covers {@code method} on {@code path} (a request's normalized path, no query). */
    public boolean matches(HttpMethod method, String path) {
        return (methods.isEmpty() || methods.contains(method)) && pathMatches(this.path, path);
    }

    static boolean pathMatches(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("*") && i == p.length - 1) {
                return s.length >= p.length - 1;
            }
            if (i >= s.length) {
                return false;
            }
            boolean param = p[i].length() > 2 && p[i].startsWith("{") && p[i].endsWith("}");
            if (param ? s[i].isEmpty() : !p[i].equals(s[i])) {
                return false;
            }
        }
        return s.length == p.length;
    }
}
