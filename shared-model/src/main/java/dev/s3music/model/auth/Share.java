package dev.s3music.model.auth;

import java.time.Instant;

/**
 * A share link: one song or one album for someone without an account, until it expires or is revoked.
 *
 * @param id        the share's public id (for listing and {@code DELETE /api/shares/{id}}), not the token
 * @param owner     the username that created it
 * @param songId    the shared song's id, or null
 * @param albumId   the shared album's id, or null
 */
public record Share(String id, String owner, String songId, String albumId, Instant created, Instant expiresAt) {
}
