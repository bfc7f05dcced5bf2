package dev.s3music.metadata.discogs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Discogs' wire shapes, only the fields we use, read leniently from JSON: missing lists are empty, missing
 * values null, "" and 0 kept as Discogs sends them (the adapter decides what they mean). Hand-read from
 * {@link JsonObject} rather than bound with Jackson databind, which vertx-core does not bring.
 */
public final class DiscogsDtos {

    private DiscogsDtos() {
    }

    public record SearchResult(long id, String type, String title, Long masterId, String year) {
        static SearchResult from(JsonObject j) {
            return new SearchResult(j.getLong("id"), j.getString("type"), j.getString("title", ""),
                longOrNull(j.getValue("master_id")), stringOrNull(j.getValue("year")));
        }
    }

    public record SearchPage(List<SearchResult> results) {
        public static SearchPage from(JsonObject j) {
            return new SearchPage(list(j.getJsonArray("results"), SearchResult::from));
        }
    }

    public record ArtistRelease(long id, String type, String title, String artist, Integer year, String role) {
        static ArtistRelease from(JsonObject j) {
            return new ArtistRelease(j.getLong("id"), j.getString("type"), j.getString("title", ""),
                j.getString("artist"), intOrNull(j.getValue("year")), j.getString("role"));
        }
    }

    public record ArtistReleasesPage(List<ArtistRelease> releases) {
        public static ArtistReleasesPage from(JsonObject j) {
            return new ArtistReleasesPage(list(j.getJsonArray("releases"), ArtistRelease::from));
        }
    }

    public record Image(String type, String uri, String uri150, Integer width, Integer height) {
        static Image from(JsonObject j) {
            return new Image(j.getString("type"), j.getString("uri", ""), j.getString("uri150", ""),
                intOrNull(j.getValue("width")), intOrNull(j.getValue("height")));
        }
    }

    /** An entry of "artists", "extraartists" or "members". */
    public record ArtistRef(Long id, String name, String anv, String join, String role, String tracks) {
        static ArtistRef from(JsonObject j) {
            return new ArtistRef(longOrNull(j.getValue("id")), j.getString("name", ""), j.getString("anv", ""),
                j.getString("join", ""), j.getString("role", ""), j.getString("tracks", ""));
        }
    }

    public record Label(String name, String catno) {
        static Label from(JsonObject j) {
            return new Label(j.getString("name", ""), j.getString("catno", ""));
        }
    }

    public record Track(String position, String type, String title, String duration, List<ArtistRef> artists,
                        List<ArtistRef> extraartists, List<Track> subTracks) {
        static Track from(JsonObject j) {
            return new Track(j.getString("position", ""), j.getString("type_", "track"), j.getString("title", ""),
                j.getString("duration", ""), list(j.getJsonArray("artists"), ArtistRef::from),
                list(j.getJsonArray("extraartists"), ArtistRef::from), list(j.getJsonArray("sub_tracks"), Track::from));
        }
    }

    public record Artist(long id, String name, String realname, String profile, String uri, List<Image> images,
                         List<String> urls, List<ArtistRef> members, List<String> namevariations) {
        public static Artist from(JsonObject j) {
            return new Artist(j.getLong("id"), j.getString("name", ""), j.getString("realname"),
                j.getString("profile", ""), j.getString("uri"), list(j.getJsonArray("images"), Image::from),
                strings(j.getJsonArray("urls")), list(j.getJsonArray("members"), ArtistRef::from),
                strings(j.getJsonArray("namevariations")));
        }
    }

    /** A master or a release: the same fields where they overlap. */
    public record Album(long id, String title, List<ArtistRef> artists, Integer year, String released,
                        String country, List<String> genres, List<String> styles, List<Label> labels,
                        List<Image> images, List<Track> tracklist, List<ArtistRef> extraartists, String uri,
                        Long masterId) {
        public static Album from(JsonObject j) {
            return new Album(j.getLong("id"), j.getString("title", ""), list(j.getJsonArray("artists"), ArtistRef::from),
                intOrNull(j.getValue("year")), stringOrNull(j.getValue("released")), j.getString("country"),
                strings(j.getJsonArray("genres")), strings(j.getJsonArray("styles")),
                list(j.getJsonArray("labels"), Label::from), list(j.getJsonArray("images"), Image::from),
                list(j.getJsonArray("tracklist"), Track::from), list(j.getJsonArray("extraartists"), ArtistRef::from),
                j.getString("uri"), longOrNull(j.getValue("master_id")));
        }
    }

    private static <T> List<T> list(JsonArray a, Function<JsonObject, T> f) {
        List<T> out = new ArrayList<>();
        if (a != null) {
            for (Object o : a) {
                if (o instanceof JsonObject j) {
                    out.add(f.apply(j));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : a) {
                if (o != null) {
                    out.add(o.toString());
                }
            }
        }
        return List.copyOf(out);
    }

    private static Long longOrNull(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer intOrNull(Object o) {
        Long l = longOrNull(o);
        return l == null ? null : l.intValue();
    }

    private static String stringOrNull(Object o) {
        return o == null ? null : o.toString();
    }
}
