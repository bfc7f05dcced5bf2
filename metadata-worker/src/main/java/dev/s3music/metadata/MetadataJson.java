package dev.s3music.metadata;

import dev.s3music.metadata.match.TrackMatcher;
import dev.s3music.metadata.model.Details;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code metadata} documents the API shows, built from provider records; and the tracklist read back from an
 * album document to match songs. Image URLs are copied verbatim: Discogs signs them, so they are links to show,
 * never URLs to rewrite.
 */
public final class MetadataJson {

    public static final String SOURCE = "discogs";

    private MetadataJson() {
    }

    public static JsonObject artist(Details.Artist a) {
        return new JsonObject().put("source", SOURCE).put("discogsId", a.id()).put("name", a.name())
            .put("realName", a.realName()).put("profile", a.profile()).put("discogsUrl", a.uri())
            .put("images", images(a.images())).put("urls", new JsonArray(a.urls()))
            .put("members", new JsonArray(a.members())).put("nameVariations", new JsonArray(a.nameVariations()));
    }

    public static JsonObject album(Details.Album a) {
        JsonArray labels = new JsonArray();
        a.labels().forEach(l -> labels.add(new JsonObject().put("name", l.name()).put("catno", l.catno())));
        JsonArray tracks = new JsonArray();
        a.tracklist().forEach(t -> tracks.add(track(t)));
        return new JsonObject().put("source", SOURCE).put("discogsId", a.id())
            .put("kind", a.kind().name().toLowerCase(Locale.ROOT)).put("title", a.title()).put("artist", a.artist())
            .put("year", a.year()).put("released", a.released()).put("country", a.country())
            .put("genres", new JsonArray(a.genres())).put("styles", new JsonArray(a.styles())).put("labels", labels)
            .put("images", images(a.images())).put("tracklist", tracks).put("credits", credits(a.credits()))
            .put("discogsUrl", a.uri()).put("masterId", a.masterId());
    }

    /** A song: its tracklist entry and a summary of the album it was matched in. */
    public static JsonObject song(JsonObject album, TrackMatcher.Match m) {
        JsonArray images = album.getJsonArray("images", new JsonArray());
        JsonObject albumSummary = new JsonObject().put("discogsId", album.getValue("discogsId"))
            .put("kind", album.getString("kind")).put("title", album.getString("title"))
            .put("year", album.getValue("year")).put("discogsUrl", album.getString("discogsUrl"))
            .put("image", images.isEmpty() ? null : images.getJsonObject(0));
        JsonObject t = track(m.track());
        t.remove("subTracks");
        return new JsonObject().put("source", SOURCE).put("album", albumSummary).mergeIn(t)
            .put("matchedBy", m.by().name().toLowerCase(Locale.ROOT)).put("partOf", m.parentIndex());
    }

    private static JsonObject track(Details.Track t) {
        JsonArray subs = new JsonArray();
        t.subTracks().forEach(s -> subs.add(track(s)));
        return new JsonObject().put("position", t.position()).put("type", t.type()).put("title", t.title())
            .put("duration", t.duration()).put("artists", new JsonArray(t.artists()))
            .put("credits", credits(t.credits())).put("subTracks", subs);
    }

    /** The tracklist of an album document, back as records for matching. */
    public static List<Details.Track> tracklist(JsonObject album) {
        return tracks(album.getJsonArray("tracklist", new JsonArray()));
    }

    private static List<Details.Track> tracks(JsonArray a) {
        List<Details.Track> out = new ArrayList<>();
        for (Object o : a) {
            JsonObject t = (JsonObject) o;
            List<String> artists = new ArrayList<>();
            t.getJsonArray("artists", new JsonArray()).forEach(x -> artists.add(String.valueOf(x)));
            List<Details.Credit> credits = new ArrayList<>();
            for (Object c : t.getJsonArray("credits", new JsonArray())) {
                JsonObject cj = (JsonObject) c;
                credits.add(new Details.Credit(cj.getString("name"), cj.getLong("id"), cj.getString("role"),
                    cj.getString("tracks")));
            }
            out.add(new Details.Track(t.getString("position"), t.getString("type", "track"), t.getString("title", ""),
                t.getString("duration"), artists, credits, tracks(t.getJsonArray("subTracks", new JsonArray()))));
        }
        return out;
    }

    private static JsonArray images(List<Details.Image> images) {
        JsonArray a = new JsonArray();
        images.forEach(i -> a.add(new JsonObject().put("type", i.type()).put("uri", i.uri()).put("uri150", i.uri150())
            .put("width", i.width()).put("height", i.height())));
        return a;
    }

    private static JsonArray credits(List<Details.Credit> credits) {
        JsonArray a = new JsonArray();
        credits.forEach(c -> a.add(new JsonObject().put("name", c.name()).put("id", c.id()).put("role", c.role())
            .put("tracks", c.tracks())));
        return a;
    }
}
