package dev.s3music.api;

/**
 * Who may call a route: the one vocabulary of the route table ({@link RouteTable}), enforced by the one
 * {@link dev.s3music.api.auth.AuthHandler}; {@code AuthApiTest} walks every route against the table.
 */
public enum Access {
    /**
     * Anyone, and the orchestrator's probes (health, metrics scrapes): answered while draining for a shutdown and not
     * counted as requests in flight.
     */
    PROBE,
    /** Anyone without signing in: sign-in, setup, share links, the player's static files. */
    PUBLIC,
    /** Any signed-in user (listener or admin). */
    USER,
    /** Signed-in admins only. */
    ADMIN;

    /** Callable without signing in. */
    public boolean isPublic() {
        return this == PROBE || this == PUBLIC;
    }
}
