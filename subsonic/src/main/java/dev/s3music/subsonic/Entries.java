package dev.s3music.subsonic;

import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AudioFormat;
import dev.s3music.model.Song;
import dev.s3music.model.SongTags;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayStat;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.UserLibrary;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Catalog and user-data records as Subsonic entries: songs ({@code Child}), album folders, {@code AlbumID3},
 * {@code ArtistID3}, playlists, each decorated with the user's own annotations (starred, rating, plays). Every field
 * we know is sent; an unknown number is left out (never {@code year=""}); dates are ISO-8601 UTC with milliseconds.
 */
final class Entries {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private Entries() {
    }

    static String date(Instant t) {
        return t == null ? null : DATE.format(t);
    }

    /** A song as a {@code Child} element named {@code element} (song, child, entry). */
    static Node song(String element, Song s, UserLibrary lib) {
        SongTags t = s.tags();
        Integer duration = t == null ? null : t.durationSeconds();
        Integer year = t == null ? null : t.year();
        String genre = t == null || t.genre() == null || t.genre().isBlank() ? null : t.genre();
        Node n = new Node(element)
            .attr("id", SubsonicIds.song(s.id()))
            .attr("parent", SubsonicIds.album(s.albumId()))
            .attr("isDir", false)
            .attr("title", s.title())
            .attr("album", s.albumName())
            .attr("artist", s.artistName())
            .attr("track", s.track())
            .attr("year", year)
            .attr("genre", genre)
            .attr("coverArt", SubsonicIds.album(s.albumId()))
            .attr("size", s.size())
            .attr("contentType", AudioFormat.contentType(s.format()).orElse("application/octet-stream"))
            .attr("suffix", s.format())
            .attr("duration", duration)
            .attr("bitRate", duration == null || duration <= 0 ? null : (int) Math.min(Integer.MAX_VALUE,
                s.size() * 8 / 1000 / duration))
            .attr("path", s.key())
            .attr("isVideo", false);
        if (lib != null) {
            n.attr("userRating", lib.rating(ItemKind.SONG, s.id()));
            PlayStat plays = lib.plays(s.id());
            n.attr("playCount", plays == null ? 0L : plays.count());
        }
        n.attr("discNumber", s.disc())
            .attr("created", date(s.addedAt() != null ? s.addedAt() : s.lastModified()));
        if (lib != null) {
            n.attr("starred", date(lib.starredAt(ItemKind.SONG, s.id())));
        }
        n.attr("albumId", SubsonicIds.album(s.albumId()))
            .attr("artistId", SubsonicIds.artist(s.artistId()))
            .attr("type", "music");
        // OpenSubsonic
        if (lib != null) {
            PlayStat plays = lib.plays(s.id());
            n.attr("played", plays == null ? null : date(plays.lastPlayed()));
        }
        n.attr("mediaType", "song")
            .attr("displayArtist", s.artistName())
            .attr("displayAlbumArtist", s.artistName());
        List<Node> genres = n.list("genres");
        if (genre != null) {
            genres.add(new Node("genres").attr("name", genre));
        }
        n.list("artists").add(new Node("artists").attr("id", SubsonicIds.artist(s.artistId())).attr("name", s.artistName()));
        n.list("albumArtists").add(new Node("albumArtists").attr("id", SubsonicIds.artist(s.artistId()))
            .attr("name", s.artistName()));
        return n;
    }

    /** What the album lists and getAlbum say of an album, from its songs when the catalog's summary is not at hand. */
    static AlbumInfo info(Album a) {
        long duration = 0;
        Instant added = null;
        Map<Integer, Integer> years = new HashMap<>();
        Map<String, Integer> genres = new HashMap<>();
        for (Song s : a.songs()) {
            SongTags t = s.tags();
            if (t != null && t.durationSeconds() != null) {
                duration += t.durationSeconds();
            }
            if (t != null && t.year() != null) {
                years.merge(t.year(), 1, Integer::sum);
            }
            if (t != null && t.genre() != null && !t.genre().isBlank()) {
                genres.merge(t.genre(), 1, Integer::sum);
            }
            Instant at = s.addedAt() != null ? s.addedAt() : s.lastModified();
            if (added == null || at.isAfter(added)) {
                added = at;
            }
        }
        return new AlbumInfo(a.id(), a.name(), a.artist(), a.songs().size(), duration, mostCommon(years),
            mostCommon(genres), added == null ? Instant.EPOCH : added, null);
    }

    private static <T> T mostCommon(Map<T, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.<T, Integer>comparingByValue()
                .thenComparing(e -> String.valueOf(e.getKey()), java.util.Comparator.reverseOrder()))
            .map(Map.Entry::getKey).orElse(null);
    }

    /** {@code AlbumID3}. */
    static Node albumId3(String element, AlbumInfo a, UserLibrary lib) {
        Node n = new Node(element)
            .attr("id", SubsonicIds.album(a.id()))
            .attr("name", a.name())
            .attr("artist", a.artist().name())
            .attr("artistId", SubsonicIds.artist(a.artist().id()))
            .attr("coverArt", SubsonicIds.album(a.id()))
            .attr("songCount", a.songCount())
            .attr("duration", (int) Math.min(Integer.MAX_VALUE, a.durationSeconds()))
            .attr("created", date(a.addedAt()));
        if (lib != null) {
            n.attr("starred", date(lib.starredAt(ItemKind.ALBUM, a.id())));
        }
        n.attr("year", a.year())
            .attr("genre", a.genre());
        // OpenSubsonic
        if (lib != null) {
            n.attr("userRating", lib.rating(ItemKind.ALBUM, a.id()));
        }
        n.attr("displayArtist", a.artist().name())
            .attr("mediaType", "album");
        List<Node> genres = n.list("genres");
        if (a.genre() != null) {
            genres.add(new Node("genres").attr("name", a.genre()));
        }
        n.list("artists").add(new Node("artists").attr("id", SubsonicIds.artist(a.artist().id()))
            .attr("name", a.artist().name()));
        return n;
    }

    /** An album as a folder ({@code Child} with {@code isDir=true}): getAlbumList, getMusicDirectory of an artist. */
    static Node albumFolder(String element, AlbumInfo a, UserLibrary lib) {
        Node n = new Node(element)
            .attr("id", SubsonicIds.album(a.id()))
            .attr("parent", SubsonicIds.artist(a.artist().id()))
            .attr("isDir", true)
            .attr("title", a.name())
            .attr("album", a.name())
            .attr("artist", a.artist().name())
            .attr("year", a.year())
            .attr("genre", a.genre())
            .attr("coverArt", SubsonicIds.album(a.id()))
            .attr("duration", (int) Math.min(Integer.MAX_VALUE, a.durationSeconds()));
        if (lib != null) {
            n.attr("userRating", lib.rating(ItemKind.ALBUM, a.id()));
        }
        n.attr("created", date(a.addedAt()));
        if (lib != null) {
            n.attr("starred", date(lib.starredAt(ItemKind.ALBUM, a.id())));
        }
        n.attr("albumId", SubsonicIds.album(a.id()))
            .attr("artistId", SubsonicIds.artist(a.artist().id()))
            .attr("mediaType", "album");
        return n;
    }

    /** {@code ArtistID3}. */
    static Node artistId3(String element, String artistId, String name, int albumCount, UserLibrary lib) {
        Node n = new Node(element)
            .attr("id", SubsonicIds.artist(artistId))
            .attr("name", name)
            .attr("albumCount", albumCount);
        if (lib != null) {
            n.attr("starred", date(lib.starredAt(ItemKind.ARTIST, artistId)));
            n.attr("userRating", lib.rating(ItemKind.ARTIST, artistId));
        }
        return n;
    }

    /** {@code Artist} of folder browsing (getIndexes, search2, getStarred). */
    static Node artistFolder(String element, String artistId, String name, UserLibrary lib) {
        Node n = new Node(element)
            .attr("id", SubsonicIds.artist(artistId))
            .attr("name", name);
        if (lib != null) {
            n.attr("starred", date(lib.starredAt(ItemKind.ARTIST, artistId)));
            n.attr("userRating", lib.rating(ItemKind.ARTIST, artistId));
        }
        return n;
    }

    /** {@code Playlist} (its songs added by the caller for getPlaylist). */
    static Node playlist(Playlist p, int songCount, long duration, String coverArt) {
        return new Node("playlist")
            .attr("id", SubsonicIds.playlist(p.id()))
            .attr("name", p.name())
            .attr("comment", p.comment() == null || p.comment().isEmpty() ? null : p.comment())
            .attr("owner", p.owner())
            .attr("public", p.isPublic())
            .attr("songCount", songCount)
            .attr("duration", (int) Math.min(Integer.MAX_VALUE, duration))
            .attr("created", date(p.created()))
            .attr("changed", date(Objects.requireNonNullElse(p.changed(), p.created())))
            .attr("coverArt", coverArt);
    }
}
