package dev.s3music.api;

import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one table of who may call what, gathered from the mounted {@link RouteArea}s; every place that needs to know
 * reads it: the drain check ({@link Access#PROBE} routes are answered while draining), the error rendering (which
 * area owns a path), and next the auth handler ({@link Access#isPublic()}) with its test walking every route.
 * Immutable, so one table serves every verticle instance.
 */
public final class RouteTable {

    private final List<RouteArea> areas;
    private final List<RouteRule> rules;
    /** Areas by mount point, longest first: the owner of a path is the first whose prefix it has. */
    private final List<RouteArea> byPrefix;

    public RouteTable(List<RouteArea> areas) {
        this.areas = List.copyOf(areas);
        List<RouteRule> all = new ArrayList<>();
        for (RouteArea a : this.areas) {
            for (RouteRule r : a.routes()) {
                if (!under(r.path(), a.mountPoint())) {
                    throw new IllegalArgumentException("route " + r.path() + " of area " + a.name()
                        + " is not under its mount point " + a.mountPoint());
                }
                all.add(r);
            }
        }
        this.rules = List.copyOf(all);
        List<RouteArea> sorted = new ArrayList<>(this.areas);
        sorted.sort(Comparator.comparingInt((RouteArea a) -> a.mountPoint().length()).reversed());
        this.byPrefix = List.copyOf(sorted);
    }

    public List<RouteArea> areas() {
        return areas;
    }

    /** Every declared route, in area order. */
    public List<RouteRule> rules() {
        return rules;
    }

    /** The first rule covering the request, if any: an undeclared route has no access level (deny, once enforced). */
    public Optional<RouteRule> find(HttpMethod method, String path) {
        for (RouteRule r : rules) {
            if (r.matches(method, path)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether anyone may call it without signing in (a declared PUBLIC or PROBE route). */
    public boolean isPublic(HttpMethod method, String path) {
        return find(method, path).map(r -> r.access().isPublic()).orElse(false);
    }

    /** A probe (health, metrics): answered while draining, not counted in flight. */
    public boolean isProbe(HttpMethod method, String path) {
        return find(method, path).map(r -> r.access() == Access.PROBE).orElse(false);
    }

    /** The area whose mount point is the longest prefix of {@code path}, if any. */
    public Optional<RouteArea> owner(String path) {
        for (RouteArea a : byPrefix) {
            if (under(path, a.mountPoint())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code /api} owns {@code /api} and {@code /api/...}, not {@code /apix}; {@code /} owns everything. */
    static boolean under(String path, String mountPoint) {
        if (mountPoint.equals("/")) {
            return path.startsWith("/");
        }
        return path.equals(mountPoint) || path.startsWith(mountPoint + "/");
    }
}
