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
    ADMIN,
    /**
     * The area signs the request in itself (the Subsonic API: credentials in every request's parameters, no
     * session): the auth handler lets it through and the area refuses what it does not accept, in its own protocol.
     * Never open by accident: the area's own tests call each such route anonymously and with bad credentials.
     */
    AREA;

    /** Callable without signing in. */
    public boolean isPublic() {
        return this == PROBE || this == PUBLIC;
    }

    /** Passed on by the auth handler without a session: public routes and those the area signs in itself. */
    public boolean passesWithoutSession() {
        return isPublic() || this == AREA;
    }
}
