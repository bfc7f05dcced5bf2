package dev.s3music.metadata.match;

import dev.s3music.metadata.model.Details.Track;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a song to an entry of an album's tracklist: by title first, then by position.
 *
 * <p>Headings ({@code type_ "heading"}) are section titles, never a song. An index ({@code type_ "index"}, a
 * work made of sub-tracks such as a suite) is matched by its own title (a file holding the whole work) and its
 * sub-tracks are songs in their own right; in the position order, sub-tracks count one by one and the index
 * itself does not. A title that matches several entries equally well is settled by the song's position, else it
 * is no match.
 */
public final class TrackMatcher {

    /** How a track was matched. */
    public enum By { TITLE, POSITION }

    /**
     * A matched entry.
     *
     * @param parentIndex the title of the index holding this sub-track, else null
     */
    public record Match(Track track, By by, String parentIndex) {
    }

    /** "1-03", "2.07", "CD2-5": disc and track. */
    private static final Pattern DISC_POSITION = Pattern.compile("^(?:cd|dvd|disc)?\\s*(\\d+)[-.](\\d+)$",
        Pattern.CASE_INSENSITIVE);

    private record Entry(Track track, String parent, boolean playable) {
    }

    private TrackMatcher() {
    }

    /**
     * @param title the song title
     * @param track the song's track number, or null
     * @param disc  the song's disc number, or null
     */
    public static Optional<Match> match(List<Track> tracklist, String title, Integer track, Integer disc) {
        List<Entry> entries = flatten(tracklist);
        List<Entry> playable = entries.stream().filter(Entry::playable).toList();

        NameMatcher.Level best = NameMatcher.Level.NONE;
        List<Entry> bestEntries = new ArrayList<>();
        for (Entry e : entries) {
            NameMatcher.Level l = NameMatcher.level(title, e.track.title());
            if (l == NameMatcher.Level.NONE || l.compareTo(best) > 0) {
                continue;
            }
            if (l.compareTo(best) < 0) {
                bestEntries.clear();
                best = l;
            }
            bestEntries.add(e);
        }
        if (bestEntries.size() == 1) {
            Entry e = bestEntries.get(0);
            return Optional.of(new Match(e.track, By.TITLE, e.parent));
        }
        Optional<Entry> byPosition = atPosition(playable, track, disc);
        if (bestEntries.size() > 1) {
            // the same title twice (an intro on each side): only the position can tell them apart
            return byPosition.filter(bestEntries::contains).map(e -> new Match(e.track, By.TITLE, e.parent));
        }
        return byPosition.map(e -> new Match(e.track, By.POSITION, e.parent));
    }

    private static Optional<Entry> atPosition(List<Entry> playable, Integer track, Integer disc) {
        if (track == null || track < 1) {
            return Optional.empty();
        }
        if (disc != null && disc >= 1) {
            for (Entry e : playable) {
                Matcher m = DISC_POSITION.matcher(e.track.position() == null ? "" : e.track.position().strip());
                if (m.matches() && Integer.parseInt(m.group(1)) == disc && Integer.parseInt(m.group(2)) == track) {
                    return Optional.of(e);
                }
            }
            if (disc > 1) {
                return Optional.empty(); // a later disc with no such position: the ordinal would be wrong
            }
        }
        return track <= playable.size() ? Optional.of(playable.get(track - 1)) : Optional.empty();
    }

    private static List<Entry> flatten(List<Track> tracklist) {
        List<Entry> out = new ArrayList<>();
        for (Track t : tracklist) {
            if (t.isHeading()) {
                continue;
            }
            boolean hasSubs = !t.subTracks().isEmpty();
            out.add(new Entry(t, null, !t.isIndex() && !hasSubs));
            for (Track s : t.subTracks()) {
                if (!s.isHeading()) {
                    out.add(new Entry(s, t.title(), true));
                }
            }
        }
        return out;
    }
}
