package dev.s3music.model.auth;

/** What an account may do: {@code admin} everything, {@code listener} browse, search, stream and their own data. */
public enum Role {
    ADMIN, LISTENER;

    /** The wire name: {@code admin}, {@code listener}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The role of a wire name, or null when there is none. */
    public static Role ofWire(String s) {
        if (s == null) {
            return null;
        }
        for (Role r : values()) {
            if (r.wire().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
