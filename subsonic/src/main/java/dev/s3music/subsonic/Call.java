package dev.s3music.subsonic;

import dev.s3music.model.auth.Principal;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/**
 * One signed-in Subsonic request: its parameters (query and form body merged, repeated keys kept), who made it, and
 * typed access to the parameters with the spec's error for a missing one (10) and a clear one for a malformed one.
 */
record Call(RoutingContext rc, MultiMap params, Principal who) {

    String user() {
        return who.username();
    }

    String get(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    String required(String name) {
        String v = get(name);
        if (v == null) {
            throw SubsonicException.missing(name);
        }
        return v;
    }

    /** Every value of a repeated parameter, empty ones left out. */
    List<String> all(String name) {
        return params.getAll(name).stream().filter(v -> v != null && !v.isEmpty()).toList();
    }

    /** An integer parameter within bounds; absent: {@code otherwise}; malformed or out of bounds: error 0. */
    int integer(String name, int otherwise, int min, int max) {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw SubsonicException.invalid(name + " must be between " + min + " and " + max + ": " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw SubsonicException.invalid(name + " is not an integer: " + v);
        }
    }

    Integer integerOrNull(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw SubsonicException.invalid(name + " is not an integer: " + v);
        }
    }

    long longValue(String name, long otherwise) {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw SubsonicException.invalid(name + " is not an integer: " + v);
        }
    }

    /** A boolean parameter, case-insensitive ({@code true}, {@code TRUE}, {@code 1}...); absent: {@code otherwise}. */
    boolean bool(String name, boolean otherwise) {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw SubsonicException.invalid(name + " is not a boolean: " + v);
        };
    }

    Boolean boolOrNull(String name) {
        return get(name) == null ? null : bool(name, false);
    }
}
