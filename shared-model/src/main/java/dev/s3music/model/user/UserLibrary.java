package dev.s3music.model.user;

import java.time.Instant;
import java.util.Map;

/**
 * One user's annotations of the catalog at one moment, for decorating entries in any listing (starred, rating,
 * play count) without a call per item. Immutable.
 *
 * @param starred by kind: item id -> when starred
 * @param ratings by kind: item id -> 1..5
 * @param plays   song id -> plays (including those buffered and not yet written to S3)
 */
public record UserLibrary(String username, Map<ItemKind, Map<String, Instant>> starred,
                          Map<ItemKind, Map<String, Integer>> ratings, Map<String, PlayStat> plays) {
    public UserLibrary {
        starred = Map.copyOf(starred);
        ratings = Map.copyOf(ratings);
        plays = Map.copyOf(plays);
    }

    public Instant starredAt(ItemKind kind, String id) {
        Map<String, Instant> m = starred.get(kind);
        return m == null ? null : m.get(id);
    }

    public Integer rating(ItemKind kind, String id) {
        Map<String, Integer> m = ratings.get(kind);
        return m == null ? null : m.get(id);
    }

    public PlayStat plays(String songId) {
        return plays.get(songId);
    }
}
