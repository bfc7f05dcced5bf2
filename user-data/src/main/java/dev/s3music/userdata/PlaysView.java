package dev.s3music.userdata;

import dev.s3music.model.user.PlayStat;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's stored plays parsed once and kept with both orders the lists need, for as long as the stored document
 * is at the same version: a listener with 5,000 played songs asks for a page of 50 without a parse and a sort per
 * request. Immutable. {@link Memo} keeps the views of the users in use.
 */
final class PlaysView {

    static final Comparator<Map.Entry<String, PlayStat>> MOST = Comparator
        .comparingLong((Map.Entry<String, PlayStat> e) -> e.getValue().count()).reversed()
        .thenComparing(e -> e.getValue().lastPlayed(), Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(Map.Entry::getKey);
    static final Comparator<Map.Entry<String, PlayStat>> RECENT = Comparator
        .comparing((Map.Entry<String, PlayStat> e) -> e.getValue().lastPlayed(),
            Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(Map.Entry::getKey);

    static final PlaysView EMPTY = new PlaysView(Map.of());

    final Map<String, PlayStat> stats;
    private volatile List<String> most;
    private volatile List<String> recent;

    PlaysView(Map<String, PlayStat> stats) {
        this.stats = Collections.unmodifiableMap(stats);
    }

    static PlaysView of(JsonObject doc) {
        Map<String, PlayStat> plays = new HashMap<>();
        JsonObject p = doc == null ? null : doc.getJsonObject("plays");
        if (p != null) {
            p.forEach(e -> {
                JsonObject s = (JsonObject) e.getValue();
                String last = s.getString("last");
                plays.put(e.getKey(), new PlayStat(s.getLong("count", 0L), last == null ? null : Instant.parse(last)));
            });
        }
        return new PlaysView(plays);
    }

    /** Song ids in the order (computed once per view). */
    List<String> order(boolean byCount) {
        List<String> o = byCount ? most : recent;
        if (o == null) {
            o = sorted(stats, byCount);
            if (byCount) {
                most = o;
            } else {
                recent = o;
            }
        }
        return o;
    }

    static List<String> sorted(Map<String, PlayStat> stats, boolean byCount) {
        List<Map.Entry<String, PlayStat>> all = new ArrayList<>(stats.entrySet());
        all.sort(byCount ? MOST : RECENT);
        List<String> ids = new ArrayList<>(all.size());
        all.forEach(e -> ids.add(e.getKey()));
        return Collections.unmodifiableList(ids);
    }

    /** The views of the users read lately, by document key and version; bounded. Thread-safe. */
    static final class Memo {
        private record Entry(String version, PlaysView view) {
        }

        private final Map<String, Entry> entries;

        Memo(int capacity) {
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** The view of {@code doc} read at {@code version} (null: no document). */
        PlaysView view(String key, JsonObject doc, String version) {
            if (doc == null) {
                return EMPTY;
            }
            synchronized (this) {
                Entry e = entries.get(key);
                if (e != null && e.version().equals(version)) {
                    return e.view();
                }
            }
            PlaysView v = of(doc);
            if (version != null) {
                synchronized (this) {
                    entries.put(key, new Entry(version, v));
                }
            }
            return v;
        }
    }
}
