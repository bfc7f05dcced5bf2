package dev.s3music.model.auth;

/**
 * {@code PATCH /api/users/{username}}: each field null when unchanged.
 */
public record UserChange(String password, Role role, Boolean disabled) {
}
