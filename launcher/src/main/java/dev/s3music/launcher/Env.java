package dev.s3music.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of environment variables. Every failure is a {@link ConfigException} naming the
 * variable. A variable set to the empty string counts as unset (what {@code FOO= java -jar ...} means).
 *
 * <p>Only declared names can be read ({@link LauncherConfig#VARIABLES}): reading any other name is a programming
 * error, so the declared list is exactly what the launcher reads, and deploy's test
 * ({@code LauncherVariablesTest}) can check every variable the containers are given against it.
 */
final class Env {

    /** {@code //userinfo@} of a URL: everything between "//" and the last "@" before the path. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");
    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d{1,9})\\s*(ms|s|m|h|d)$");

    private final Map<String, String> vars;
    private final Set<String> declared;

    /** An environment whose readable names are {@link LauncherConfig#VARIABLES}. */
    Env(Map<String, String> vars) {
        this(vars, LauncherConfig.VARIABLES);
    }

    Env(Map<String, String> vars, Collection<String> declared) {
        this.vars = Map.copyOf(vars);
        this.declared = Set.copyOf(declared);
    }

    Optional<String> optional(String name) {
        if (!declared.contains(name)) {
            throw new IllegalArgumentException(name + " is not a declared variable: add it to LauncherConfig.VARIABLES "
                + "(and the README's configuration table) before reading it");
        }
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** A TCP port, 0 (a free one) to 65535. */
    int port(String name, int fallback) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(v.get());
            if (port < 0 || port > 65_535) {
                throw new ConfigException(name, "'" + v.get() + "' is not a port (0 to 65535; 0 picks a free one)");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "'" + v.get() + "' is not a port (0 to 65535; 0 picks a free one)");
        }
    }

    int intInRange(String name, int fallback, int min, int max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new ConfigException(name, "'" + v.get() + "' is out of range " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "'" + v.get() + "' is not a whole number");
        }
    }

    boolean bool(String name, boolean fallback) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name, "'" + v.get() + "' is not a boolean (true or false)");
        };
    }

    /** {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}, {@code 500ms}, or ISO-8601 ({@code PT1H}); positive. */
    Duration duration(String name, Duration fallback) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(v.get().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, "'" + v.get() + "' is not a duration (e.g. 30s, 15m, 12h, 7d or PT1H)");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name, "'" + v.get() + "' must be a positive duration");
        }
        return d;
    }

    /** An absolute URI with one of the given schemes. */
    Optional<URI> uri(String name, String... schemes) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String expected = String.join(" or ", schemes);
        try {
            URI u = new URI(v.get());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!java.util.List.of(schemes).contains(scheme) || u.getHost() == null || u.getPort() > 65_535) {
                throw new ConfigException(name, "'" + withoutUserInfo(v.get()) + "' is not an absolute " + expected
                    + " URL (host[:port], a port is 0 to 65535)");
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            // the reason only: URISyntaxException's message repeats the whole input, password included
            throw new ConfigException(name, "'" + withoutUserInfo(v.get()) + "' is not a URL: " + e.getReason());
        }
    }

    /**
     * A URL as it may be shown in an error: {@code redis://user:secret@host} becomes {@code redis://***@host}. A URL
     * can carry credentials ({@code REDIS_URL}'s password), and start errors go to logs that many people read. Works
     * on text that is no valid URI too (that is when it is shown).
     */
    static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("//***@");
    }

    Path path(String name, String fallback) {
        String v = string(name, fallback);
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(name, "'" + v + "' is not a valid path: " + e.getReason());
        }
    }
}
