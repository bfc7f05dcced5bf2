package dev.s3music.metadata.discogs;

import dev.s3music.metadata.match.NameMatcher;
import dev.s3music.metadata.model.Candidate;
import dev.s3music.metadata.model.Details;
import dev.s3music.metadata.port.MetadataProvider;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Discogs as a {@link MetadataProvider}: builds the requests, maps the wire DTOs to domain records. Errors are
 * already domain errors from {@link DiscogsClient} (404 -> NOT_FOUND, 429/5xx -> TRANSIENT or RATE_LIMITED).
 */
public final class DiscogsAdapter implements MetadataProvider {

    /** Search hits read per query: the right entity is in the first page or the name is too vague to trust. */
    static final int SEARCH_PAGE = 25;
    /** Discography entries read when searching fails: one page of Discogs' maximum size. */
    static final int RELEASES_PAGE = 100;

    private final DiscogsClient client;

    public DiscogsAdapter(DiscogsClient client) {
        this.client = client;
    }

    @Override
    public Future<List<Candidate>> searchArtists(String name) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("q", searchText(name));
        q.put("type", "artist");
        q.put("per_page", String.valueOf(SEARCH_PAGE));
        return client.get("/database/search", q).map(j -> candidates(DiscogsDtos.SearchPage.from(j)));
    }

    @Override
    public Future<List<Candidate>> searchAlbums(String artist, String title, Candidate.Type kind) {
        if (kind == Candidate.Type.ARTIST) {
            return Future.failedFuture(new IllegalArgumentException("albums are masters or releases"));
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("type", kind.name().toLowerCase(Locale.ROOT));
        q.put("artist", searchText(NameMatcher.withoutNamesake(artist)));
        // qualifiers such as "(Remastered)" are not in Discogs titles: search without them, match with them
        q.put("release_title", NameMatcher.withoutQualifiers(title));
        q.put("per_page", String.valueOf(SEARCH_PAGE));
        return client.get("/database/search", q).map(j -> candidates(DiscogsDtos.SearchPage.from(j)));
    }

    @Override
    public Future<List<Candidate>> artistReleases(long artistId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sort", "year");
        q.put("sort_order", "desc");
        q.put("per_page", String.valueOf(RELEASES_PAGE));
        return client.get("/artists/" + artistId + "/releases", q).map(j -> {
            List<Candidate> out = new ArrayList<>();
            for (DiscogsDtos.ArtistRelease r : DiscogsDtos.ArtistReleasesPage.from(j).releases()) {
                Candidate.Type t = type(r.type());
                if (t != null && t != Candidate.Type.ARTIST && (r.role() == null || "Main".equals(r.role()))) {
                    out.add(new Candidate(r.id(), t, r.title(), r.artist() == null ? "" : r.artist(), null,
                        year(r.year())));
                }
            }
            return out;
        });
    }

    @Override
    public Future<Details.Artist> artist(long id) {
        return client.get("/artists/" + id, Map.of()).map(j -> artist(DiscogsDtos.Artist.from(j)));
    }

    @Override
    public Future<Details.Album> master(long id) {
        return client.get("/masters/" + id, Map.of()).map(j -> album(DiscogsDtos.Album.from(j), Candidate.Type.MASTER));
    }

    @Override
    public Future<Details.Album> release(long id) {
        return client.get("/releases/" + id, Map.of()).map(j -> album(DiscogsDtos.Album.from(j), Candidate.Type.RELEASE));
    }

    /**
     * The words to search with: without a leading "The" or a trailing ", The" (folders write "Beatles, The";
     * Discogs files "The Beatles"), the matching then compares the full names.
     */
    static String searchText(String name) {
        String s = name.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("the ") && s.length() > 4) {
            s = s.substring(4);
        } else if (lower.endsWith(", the") && s.length() > 5) {
            s = s.substring(0, s.length() - 5);
        }
        return s.strip();
    }

    // ---- mapping -------------------------------------------------------------------------------------------

    private static List<Candidate> candidates(DiscogsDtos.SearchPage page) {
        List<Candidate> out = new ArrayList<>();
        for (DiscogsDtos.SearchResult r : page.results()) {
            Candidate.Type t = type(r.type());
            if (t != null) {
                Integer y = null;
                try {
                    y = r.year() == null ? null : year(Integer.parseInt(r.year().strip()));
                } catch (NumberFormatException ignored) {
                    // a year Discogs could not tell
                }
                out.add(new Candidate(r.id(), t, r.title(), null, r.masterId(), y));
            }
        }
        return out;
    }

    private static Candidate.Type type(String t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case "artist" -> Candidate.Type.ARTIST;
            case "master" -> Candidate.Type.MASTER;
            case "release" -> Candidate.Type.RELEASE;
            default -> null; // labels and anything new
        };
    }

    private static Integer year(Integer y) {
        return y == null || y <= 0 ? null : y;
    }

    static Details.Artist artist(DiscogsDtos.Artist a) {
        List<String> members = a.members().stream().map(DiscogsDtos.ArtistRef::name)
            .map(NameMatcher::withoutNamesake).toList();
        return new Details.Artist(a.id(), a.name(), blankToNull(a.realname()), blankToNull(a.profile()), a.uri(),
            images(a.images()), a.urls(), members, a.namevariations());
    }

    static Details.Album album(DiscogsDtos.Album a, Candidate.Type kind) {
        return new Details.Album(a.id(), kind, a.title(), credit(a.artists()), year(a.year()),
            blankToNull(a.released()), blankToNull(a.country()), a.genres(), a.styles(),
            a.labels().stream().map(l -> new Details.Label(l.name(), blankToNull(l.catno()))).toList(),
            images(a.images()), a.tracklist().stream().map(DiscogsAdapter::track).toList(),
            credits(a.extraartists()), a.uri(), kind == Candidate.Type.MASTER ? null : a.masterId());
    }

    private static Details.Track track(DiscogsDtos.Track t) {
        String type = t.type() == null || t.type().isBlank() ? "track" : t.type();
        return new Details.Track(blankToNull(t.position()), type, t.title(), blankToNull(t.duration()),
            t.artists().isEmpty() ? List.of() : List.of(credit(t.artists())), credits(t.extraartists()),
            t.subTracks().stream().map(DiscogsAdapter::track).toList());
    }

    /** Discogs' display credit: names (namesake suffix removed) joined by their join strings. */
    static String credit(List<DiscogsDtos.ArtistRef> artists) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < artists.size(); i++) {
            DiscogsDtos.ArtistRef a = artists.get(i);
            sb.append(NameMatcher.withoutNamesake(a.name()));
            if (i < artists.size() - 1) {
                String join = a.join() == null ? "" : a.join().strip();
                sb.append(join.isEmpty() || join.equals(",") ? ", " : " " + join + " ");
            }
        }
        return sb.toString();
    }

    private static List<Details.Credit> credits(List<DiscogsDtos.ArtistRef> refs) {
        return refs.stream().map(r -> new Details.Credit(NameMatcher.withoutNamesake(r.name()), r.id(),
            blankToNull(r.role()), blankToNull(r.tracks()))).toList();
    }

    /**
     * Images as Discogs links them. Their URLs are signed: kept byte for byte. Unauthenticated answers carry empty
     * URLs: such images are dropped.
     */
    private static List<Details.Image> images(List<DiscogsDtos.Image> images) {
        return images.stream().filter(i -> i.uri() != null && !i.uri().isBlank())
            .map(i -> new Details.Image(i.type(), i.uri(), blankToNull(i.uri150()), i.width(), i.height())).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
