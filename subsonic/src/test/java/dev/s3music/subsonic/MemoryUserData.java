package dev.s3music.subsonic;

import dev.s3music.model.DomainException;
import dev.s3music.model.Page;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.PlayStat;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.PlaylistChange;
import dev.s3music.model.user.UserDataService;
import dev.s3music.model.user.UserLibrary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A plain in-memory {@link UserDataService} for this module's tests (the user-data module's own store is tested
 * there): enough behaviour for the Subsonic methods to be observable (stars, ratings, plays, queue, playlists with
 * owner and visibility rules, INVALID on bad input).
 */
final class MemoryUserData implements UserDataService {

    private final Map<String, Map<ItemKind, Map<String, Instant>>> starred = new HashMap<>();
    private final Map<String, Map<ItemKind, Map<String, Integer>>> ratings = new HashMap<>();
    private final Map<String, Map<String, PlayStat>> plays = new HashMap<>();
    private final Map<String, PlayQueue> queues = new HashMap<>();
    private final Map<String, Playlist> playlists = new HashMap<>();

    @Override
    public synchronized Future<UserLibrary> library(String username) {
        Map<ItemKind, Map<String, Instant>> s = new EnumMap<>(ItemKind.class);
        starred.getOrDefault(username, Map.of()).forEach((k, v) -> s.put(k, Map.copyOf(v)));
        Map<ItemKind, Map<String, Integer>> r = new EnumMap<>(ItemKind.class);
        ratings.getOrDefault(username, Map.of()).forEach((k, v) -> r.put(k, Map.copyOf(v)));
        return Future.succeededFuture(new UserLibrary(username, s, r, Map.copyOf(plays.getOrDefault(username, Map.of()))));
    }

    @Override
    public synchronized Future<Void> star(String username, ItemKind kind, List<String> ids) {
        Map<String, Instant> m = starred.computeIfAbsent(username, u -> new EnumMap<>(ItemKind.class))
            .computeIfAbsent(kind, k -> new HashMap<>());
        ids.forEach(id -> m.putIfAbsent(id, Instant.now()));
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> unstar(String username, ItemKind kind, List<String> ids) {
        Map<String, Instant> m = starred.getOrDefault(username, Map.of()).get(kind);
        if (m != null) {
            ids.forEach(m::remove);
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> rate(String username, ItemKind kind, String id, int rating) {
        if (rating < 0 || rating > 5) {
            return Future.failedFuture(DomainException.invalid("rating must be 0..5"));
        }
        Map<String, Integer> m = ratings.computeIfAbsent(username, u -> new EnumMap<>(ItemKind.class))
            .computeIfAbsent(kind, k -> new HashMap<>());
        if (rating == 0) {
            m.remove(id);
        } else {
            m.put(id, rating);
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Void> played(String username, String songId, Instant at) {
        plays.computeIfAbsent(username, u -> new HashMap<>()).merge(songId, new PlayStat(1, at),
            (a, b) -> new PlayStat(a.count() + 1, a.lastPlayed().isAfter(b.lastPlayed()) ? a.lastPlayed() : b.lastPlayed()));
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Page<String>> mostPlayed(String username, int offset, int limit) {
        List<String> ids = plays.getOrDefault(username, Map.of()).entrySet().stream()
            .sorted(Comparator.comparingLong((Map.Entry<String, PlayStat> e) -> -e.getValue().count()))
            .map(Map.Entry::getKey).toList();
        return Future.succeededFuture(new Page<>(ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + limit)),
            offset, limit, ids.size()));
    }

    @Override
    public synchronized Future<Page<String>> recentlyPlayed(String username, int offset, int limit) {
        List<String> ids = plays.getOrDefault(username, Map.of()).entrySet().stream()
            .sorted(Comparator.comparing((Map.Entry<String, PlayStat> e) -> e.getValue().lastPlayed()).reversed())
            .map(Map.Entry::getKey).toList();
        return Future.succeededFuture(new Page<>(ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + limit)),
            offset, limit, ids.size()));
    }

    @Override
    public synchronized Future<PlayQueue> queue(String username) {
        return Future.succeededFuture(queues.getOrDefault(username, PlayQueue.empty()));
    }

    @Override
    public synchronized Future<PlayQueue> saveQueue(String username, PlayQueue queue) {
        PlayQueue q = new PlayQueue(queue.songIds(), queue.current(), queue.positionMs(), Instant.now(), queue.changedBy());
        queues.put(username, q);
        return Future.succeededFuture(q);
    }

    @Override
    public synchronized Future<List<Playlist>> playlists(String username) {
        return Future.succeededFuture(playlists.values().stream()
            .filter(p -> p.owner().equals(username) || p.isPublic())
            .sorted(Comparator.comparing(Playlist::name)).toList());
    }

    @Override
    public synchronized Future<Optional<Playlist>> playlist(String username, String id) {
        Playlist p = playlists.get(id);
        return Future.succeededFuture(p != null && (p.owner().equals(username) || p.isPublic()) ? Optional.of(p) : Optional.empty());
    }

    @Override
    public synchronized Future<Playlist> createPlaylist(String username, String name, String comment, boolean isPublic,
                                                       List<String> songIds) {
        if (name == null || name.isBlank()) {
            return Future.failedFuture(DomainException.invalid("name is required"));
        }
        Instant now = Instant.now();
        Playlist p = new Playlist(UUID.randomUUID().toString(), username, name, comment, isPublic, songIds, now, now, "1");
        playlists.put(p.id(), p);
        return Future.succeededFuture(p);
    }

    @Override
    public synchronized Future<Playlist> updatePlaylist(String username, String id, PlaylistChange change) {
        Playlist p = playlists.get(id);
        if (p == null || !p.owner().equals(username)) {
            return Future.failedFuture(DomainException.notFound("playlist"));
        }
        List<String> songs;
        if (change.replaceSongIds() != null) {
            songs = change.replaceSongIds();
        } else {
            songs = new ArrayList<>(p.songIds());
            List<Integer> remove = change.removeIndexes().stream().sorted(Comparator.reverseOrder()).toList();
            for (int i : remove) {
                if (i < 0 || i >= songs.size()) {
                    return Future.failedFuture(DomainException.invalid("index out of range: " + i));
                }
                songs.remove(i);
            }
            songs.addAll(change.appendSongIds());
        }
        Playlist next = new Playlist(id, p.owner(), change.name() != null ? change.name() : p.name(),
            change.comment() != null ? change.comment() : p.comment(),
            change.isPublic() != null ? change.isPublic() : p.isPublic(), songs, p.created(), Instant.now(),
            String.valueOf(Integer.parseInt(p.version()) + 1));
        playlists.put(id, next);
        return Future.succeededFuture(next);
    }

    @Override
    public synchronized Future<Void> deletePlaylist(String username, String id) {
        Playlist p = playlists.get(id);
        if (p == null || !p.owner().equals(username)) {
            return Future.failedFuture(DomainException.notFound("playlist"));
        }
        playlists.remove(id);
        return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> export(String username) {
        return Future.succeededFuture(new JsonObject().put("username", username));
    }

    @Override
    public Future<Void> flush() {
        return Future.succeededFuture();
    }
}
