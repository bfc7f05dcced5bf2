package dev.s3music.subsonic;

import dev.s3music.model.Addresses;
import dev.s3music.model.Album;
import dev.s3music.model.AlbumInfo;
import dev.s3music.model.AlbumQuery;
import dev.s3music.model.AlbumSummary;
import dev.s3music.model.Artist;
import dev.s3music.model.ArtistSummary;
import dev.s3music.model.GenreCount;
import dev.s3music.model.Metadata;
import dev.s3music.model.MetadataRef;
import dev.s3music.model.SearchResult;
import dev.s3music.model.Song;
import dev.s3music.model.auth.AccountService;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.UserView;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.trace.RequestIds;
import dev.s3music.model.user.ItemKind;
import dev.s3music.model.user.PlayQueue;
import dev.s3music.model.user.PlayStat;
import dev.s3music.model.user.Playlist;
import dev.s3music.model.user.PlaylistChange;
import dev.s3music.model.user.UserDataService;
import dev.s3music.model.user.UserLibrary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Subsonic methods that answer a document (every method but the binary ones, which {@link SubsonicArea} serves
 * through the streaming service): each takes a signed-in {@link Call} and gives the payload element, or null for an
 * empty {@code ok}.
 */
final class Methods {

    /** Articles left out when indexing artists by letter (Navidrome's list). */
    static final String IGNORED_ARTICLES = "The El La Los Las Le Les Os As O A";
    static final int MAX_LIST = 500;

    private final Vertx vertx;
    private final CatalogReader catalog;
    private final UserDataService userData;
    private final AccountService accounts;
    private final MetadataReader metadata;
    private final Library library;
    private final Duration metadataTimeout;
    private final Duration eventBusTimeout;

    Methods(Vertx vertx, CatalogReader catalog, UserDataService userData, AccountService accounts,
            MetadataReader metadata, Library library, Duration metadataTimeout, Duration eventBusTimeout) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.userData = userData;
        this.accounts = accounts;
        this.metadata = metadata;
        this.library = library;
        this.metadataTimeout = metadataTimeout;
        this.eventBusTimeout = eventBusTimeout;
    }

    /** The methods by name; {@code admin} ones answer 50 to listeners. */
    record Method(boolean admin, Function<Call, Future<Node>> run) {
    }

    Map<String, Method> all() {
        Map<String, Method> m = new HashMap<>();
        m.put("ping", user(c -> Future.succeededFuture(null)));
        m.put("getLicense", user(c -> Future.succeededFuture(new Node("license").attr("valid", true))));
        m.put("getMusicFolders", user(c -> {
            Node n = new Node("musicFolders");
            n.list("musicFolder").add(new Node("musicFolder").attr("id", 1).attr("name", "Music"));
            return Future.succeededFuture(n);
        }));
        m.put("getIndexes", user(this::getIndexes));
        m.put("getMusicDirectory", user(this::getMusicDirectory));
        m.put("getArtists", user(this::getArtists));
        m.put("getArtist", user(this::getArtist));
        m.put("getAlbum", user(this::getAlbum));
        m.put("getSong", user(this::getSong));
        m.put("getGenres", user(this::getGenres));
        m.put("getAlbumList", user(c -> albumList(c, false)));
        m.put("getAlbumList2", user(c -> albumList(c, true)));
        m.put("getRandomSongs", user(this::getRandomSongs));
        m.put("getSongsByGenre", user(this::getSongsByGenre));
        m.put("search2", user(c -> search(c, false)));
        m.put("search3", user(c -> search(c, true)));
        m.put("getStarred", user(c -> starred(c, false)));
        m.put("getStarred2", user(c -> starred(c, true)));
        m.put("star", user(c -> star(c, true)));
        m.put("unstar", user(c -> star(c, false)));
        m.put("setRating", user(this::setRating));
        m.put("scrobble", user(this::scrobble));
        m.put("getArtistInfo", user(c -> artistInfo(c, "artistInfo")));
        m.put("getArtistInfo2", user(c -> artistInfo(c, "artistInfo2")));
        m.put("getAlbumInfo", user(this::albumInfo));
        m.put("getAlbumInfo2", user(this::albumInfo));
        m.put("getPlaylists", user(this::getPlaylists));
        m.put("getPlaylist", user(this::getPlaylist));
        m.put("createPlaylist", user(this::createPlaylist));
        m.put("updatePlaylist", user(this::updatePlaylist));
        m.put("deletePlaylist", user(c -> userData.deletePlaylist(c.user(), playlistId(c.required("id")))
            .map(v -> (Node) null)));
        m.put("getPlayQueue", user(this::getPlayQueue));
        m.put("savePlayQueue", user(this::savePlayQueue));
        m.put("getUser", user(this::getUser));
        m.put("getUsers", new Method(true, this::getUsers));
        m.put("getScanStatus", user(c -> scanStatus(Addresses.RESCAN_STATUS)));
        m.put("startScan", new Method(true, c -> scanStatus(Addresses.RESCAN_START)));
        // valid, empty answers: clients sync these and break on a 404 or a plain-text 501
        m.put("getBookmarks", empty("bookmarks", "bookmark"));
        m.put("getPodcasts", empty("podcasts", "channel"));
        m.put("getNewestPodcasts", empty("newestPodcasts", "episode"));
        m.put("getInternetRadioStations", empty("internetRadioStations", "internetRadioStation"));
        m.put("getNowPlaying", empty("nowPlaying", "entry"));
        m.put("getTopSongs", empty("topSongs", "song"));
        m.put("getSimilarSongs", empty("similarSongs", "song"));
        m.put("getSimilarSongs2", empty("similarSongs2", "song"));
        m.put("getLyrics", user(c -> Future.succeededFuture(new Node("lyrics"))));
        return m;
    }

    private static Method user(Function<Call, Future<Node>> run) {
        return new Method(false, run);
    }

    private static Method empty(String element, String items) {
        return user(c -> {
            Node n = new Node(element);
            n.list(items);
            return Future.succeededFuture(n);
        });
    }

    /** The OpenSubsonic extensions that work here (clients switch on them). */
    static Node extensions() {
        Node n = Node.fragment();
        List<Node> list = n.list("openSubsonicExtensions");
        for (String name : List.of("formPost", "apiKeyAuthentication")) {
            Node e = new Node("openSubsonicExtensions").attr("name", name);
            e.list("versions").add(new Node("versions").text(1));
            list.add(e);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------ browsing

    private Future<UserLibrary> lib(Call c) {
        return userData.library(c.user());
    }

    private Future<Node> getIndexes(Call c) {
        return Future.all(library.artists(), library.albums(), lib(c)).map(all -> {
            List<ArtistSummary> artists = all.resultAt(0);
            List<AlbumInfo> albums = all.resultAt(1);
            UserLibrary lib = all.resultAt(2);
            long lastModified = albums.stream().mapToLong(a -> a.addedAt().toEpochMilli()).max().orElse(0);
            Node n = new Node("indexes").attr("lastModified", lastModified).attr("ignoredArticles", IGNORED_ARTICLES);
            List<Node> indexes = n.list("index");
            for (Map.Entry<String, List<ArtistSummary>> e : byLetter(artists).entrySet()) {
                Node index = new Node("index").attr("name", e.getKey());
                List<Node> items = index.list("artist");
                for (ArtistSummary a : e.getValue()) {
                    items.add(Entries.artistFolder("artist", a.id(), a.name(), lib));
                }
                indexes.add(index);
            }
            return n;
        });
    }

    private Future<Node> getArtists(Call c) {
        return Future.all(library.artists(), library.albumCounts(), lib(c)).map(all -> {
            List<ArtistSummary> artists = all.resultAt(0);
            Map<String, Integer> counts = all.resultAt(1);
            UserLibrary lib = all.resultAt(2);
            Node n = new Node("artists").attr("ignoredArticles", IGNORED_ARTICLES);
            List<Node> indexes = n.list("index");
            for (Map.Entry<String, List<ArtistSummary>> e : byLetter(artists).entrySet()) {
                Node index = new Node("index").attr("name", e.getKey());
                List<Node> items = index.list("artist");
                for (ArtistSummary a : e.getValue()) {
                    items.add(Entries.artistId3("artist", a.id(), a.name(), counts.getOrDefault(a.id(), 0), lib));
                }
                indexes.add(index);
            }
            return n;
        });
    }

    /** Artists by the first letter of their name without a leading article; "#" for anything but a letter. */
    static Map<String, List<ArtistSummary>> byLetter(List<ArtistSummary> artists) {
        Map<String, List<ArtistSummary>> out = new TreeMap<>((a, b) -> a.equals("#") ? (b.equals("#") ? 0 : 1)
            : b.equals("#") ? -1 : a.compareTo(b));
        for (ArtistSummary a : artists) {
            out.computeIfAbsent(letter(a.name()), k -> new ArrayList<>()).add(a);
        }
        return out;
    }

    static String letter(String name) {
        String n = name == null ? "" : name.strip();
        for (String article : IGNORED_ARTICLES.split(" ")) {
            if (n.length() > article.length() + 1 && n.regionMatches(true, 0, article + " ", 0, article.length() + 1)) {
                n = n.substring(article.length() + 1).strip();
                break;
            }
        }
        if (n.isEmpty()) {
            return "#";
        }
        String first = Normalizer.normalize(n.substring(0, n.offsetByCodePoints(0, 1)), Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT);
        return first.length() == 1 && Character.isLetter(first.charAt(0)) ? first : "#";
    }

    private Future<Node> getMusicDirectory(Call c) {
        String id = c.required("id");
        SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("directory"));
        return switch (p.kind()) {
            case ARTIST -> found(catalog.artist(p.id()), "directory").compose(artist ->
                catalog.albumInfos(artist.albums().stream().map(AlbumSummary::id).toList())
                    .compose(infos -> lib(c).map(lib -> {
                        Node n = new Node("directory").attr("id", id).attr("parent", "1").attr("name", artist.name());
                        n.attr("starred", Entries.date(lib.starredAt(ItemKind.ARTIST, artist.id())));
                        List<Node> children = n.list("child");
                        for (AlbumSummary s : artist.albums()) {
                            AlbumInfo info = infos.get(s.id());
                            if (info != null) {
                                children.add(Entries.albumFolder("child", info, lib));
                            }
                        }
                        return n;
                    })));
            case ALBUM -> found(catalog.album(p.id()), "directory").compose(album -> lib(c).map(lib -> {
                Node n = new Node("directory").attr("id", id)
                    .attr("parent", SubsonicIds.artist(album.artist().id())).attr("name", album.name());
                n.attr("starred", Entries.date(lib.starredAt(ItemKind.ALBUM, album.id())));
                n.attr("userRating", lib.rating(ItemKind.ALBUM, album.id()));
                List<Node> children = n.list("child");
                album.songs().forEach(s -> children.add(Entries.song("child", s, lib)));
                return n;
            }));
            default -> Future.failedFuture(SubsonicException.notFound("directory"));
        };
    }

    private Future<Node> getArtist(Call c) {
        String id = inner(c.required("id"), SubsonicIds.Kind.ARTIST, "artist");
        return found(catalog.artist(id), "artist").compose(artist ->
            catalog.albumInfos(artist.albums().stream().map(AlbumSummary::id).toList())
                .compose(infos -> lib(c).map(lib -> {
                    Node n = Entries.artistId3("artist", artist.id(), artist.name(), infos.size(), lib);
                    List<Node> albums = n.list("album");
                    for (AlbumSummary s : artist.albums()) {
                        AlbumInfo info = infos.get(s.id());
                        if (info != null) {
                            albums.add(Entries.albumId3("album", info, lib));
                        }
                    }
                    return n;
                })));
    }

    private Future<Node> getAlbum(Call c) {
        String id = inner(c.required("id"), SubsonicIds.Kind.ALBUM, "album");
        return found(catalog.album(id), "album").compose(album -> lib(c).map(lib -> {
            Node n = Entries.albumId3("album", Entries.info(album), lib);
            List<Node> songs = n.list("song");
            album.songs().forEach(s -> songs.add(Entries.song("song", s, lib)));
            return n;
        }));
    }

    private Future<Node> getSong(Call c) {
        String id = inner(c.required("id"), SubsonicIds.Kind.SONG, "song");
        return found(catalog.song(id), "song").compose(s -> lib(c).map(lib -> Entries.song("song", s, lib)));
    }

    private Future<Node> getGenres(Call c) {
        return catalog.genres().map(genres -> {
            Node n = new Node("genres");
            List<Node> list = n.list("genre");
            for (GenreCount g : genres) {
                list.add(new Node("genre").attr("songCount", g.songCount()).attr("albumCount", g.albumCount())
                    .text(g.name()));
            }
            return n;
        });
    }

    // ------------------------------------------------------------------------------------------ lists

    private Future<Node> albumList(Call c, boolean id3) {
        String type = c.required("type");
        int size = c.integer("size", 10, 0, MAX_LIST);
        int offset = c.integer("offset", 0, 0, Integer.MAX_VALUE);
        Future<List<AlbumInfo>> albums = switch (type) {
            case "random" -> catalog.albums(AlbumQuery.of(AlbumQuery.Order.RANDOM), 0, size).map(p -> p.items());
            case "newest" -> page(AlbumQuery.of(AlbumQuery.Order.ADDED), offset, size);
            case "alphabeticalByName" -> page(AlbumQuery.of(AlbumQuery.Order.NAME), offset, size);
            case "alphabeticalByArtist" -> page(AlbumQuery.of(AlbumQuery.Order.ARTIST), offset, size);
            case "byYear" -> {
                int from = c.integer("fromYear", Integer.MIN_VALUE, 0, 9999);
                int to = c.integer("toYear", Integer.MIN_VALUE, 0, 9999);
                if (from == Integer.MIN_VALUE) {
                    throw SubsonicException.missing("fromYear");
                }
                if (to == Integer.MIN_VALUE) {
                    throw SubsonicException.missing("toYear");
                }
                yield page(new AlbumQuery(AlbumQuery.Order.YEAR, null, from, to), offset, size);
            }
            case "byGenre" -> page(new AlbumQuery(AlbumQuery.Order.NAME, c.required("genre"), null, null), offset, size);
            case "starred" -> lib(c).compose(lib -> byIds(ranked(lib.starred().getOrDefault(ItemKind.ALBUM, Map.of()),
                Comparator.reverseOrder()), offset, size));
            case "highest" -> lib(c).compose(lib -> byIds(ranked(lib.ratings().getOrDefault(ItemKind.ALBUM, Map.of()),
                Comparator.reverseOrder()), offset, size));
            case "frequent" -> lib(c).compose(lib -> albumsOfPlays(lib, true)).compose(ids -> byIds(ids, offset, size));
            case "recent" -> lib(c).compose(lib -> albumsOfPlays(lib, false)).compose(ids -> byIds(ids, offset, size));
            default -> throw SubsonicException.invalid("unknown list type: " + type);
        };
        return albums.compose(list -> lib(c).map(lib -> {
            Node n = new Node(id3 ? "albumList2" : "albumList");
            List<Node> items = n.list("album");
            for (AlbumInfo a : list) {
                items.add(id3 ? Entries.albumId3("album", a, lib) : Entries.albumFolder("album", a, lib));
            }
            return n;
        }));
    }

    private Future<List<AlbumInfo>> page(AlbumQuery q, int offset, int size) {
        return size == 0 ? Future.succeededFuture(List.of()) : catalog.albums(q, offset, size).map(p -> p.items());
    }

    /** Ids of a map ordered by value ({@code order}), ties by id. */
    private static <V extends Comparable<V>> List<String> ranked(Map<String, V> values, Comparator<V> order) {
        return values.entrySet().stream()
            .sorted(Map.Entry.<String, V>comparingByValue(order).thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey).toList();
    }

    /** The albums of {@code ids[offset, offset+size)} that still exist, in that order. */
    private Future<List<AlbumInfo>> byIds(List<String> ids, int offset, int size) {
        List<String> slice = ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + size));
        return catalog.albumInfos(slice).map(found -> slice.stream().map(found::get).filter(a -> a != null).toList());
    }

    /** Album ids by the user's plays of their songs: most played ({@code frequent}) or most recently played. */
    private Future<List<String>> albumsOfPlays(UserLibrary lib, boolean frequent) {
        Map<String, PlayStat> plays = lib.plays();
        return catalog.songs(plays.keySet()).map(songs -> {
            Map<String, long[]> byAlbum = new HashMap<>(); // album -> {count, last played ms}
            for (Map.Entry<String, PlayStat> e : plays.entrySet()) {
                Song s = songs.get(e.getKey());
                if (s == null) {
                    continue;
                }
                long[] acc = byAlbum.computeIfAbsent(s.albumId(), k -> new long[2]);
                acc[0] += e.getValue().count();
                Instant last = e.getValue().lastPlayed();
                acc[1] = Math.max(acc[1], last == null ? 0 : last.toEpochMilli());
            }
            int key = frequent ? 0 : 1;
            return byAlbum.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[key])
                    .thenComparingLong(e -> -e.getValue()[1 - key]).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).toList();
        });
    }

    private Future<Node> getRandomSongs(Call c) {
        int size = c.integer("size", 10, 0, MAX_LIST);
        String genre = c.get("genre");
        Integer from = c.integerOrNull("fromYear");
        Integer to = c.integerOrNull("toYear");
        if (from != null || to != null) {
            from = from == null ? 0 : from;
            to = to == null ? 9999 : to;
        }
        return catalog.randomSongs(size, genre, from, to).compose(songs -> songs(c, "randomSongs", songs));
    }

    private Future<Node> getSongsByGenre(Call c) {
        String genre = c.required("genre");
        int count = c.integer("count", 10, 0, MAX_LIST);
        int offset = c.integer("offset", 0, 0, Integer.MAX_VALUE);
        return (count == 0 ? Future.succeededFuture(List.<Song>of())
            : catalog.songsByGenre(genre, offset, count).map(p -> p.items()))
            .compose(songs -> songs(c, "songsByGenre", songs));
    }

    private Future<Node> songs(Call c, String element, List<Song> songs) {
        return lib(c).map(lib -> {
            Node n = new Node(element);
            List<Node> items = n.list("song");
            songs.forEach(s -> items.add(Entries.song("song", s, lib)));
            return n;
        });
    }

    // ------------------------------------------------------------------------------------------ search

    /** A query that asks for everything: empty, or only quotes and wildcards ({@code ""}: Symfonium's sync). */
    static boolean everything(String query) {
        return query == null || query.replace("\"", "").replace("*", "").isBlank();
    }

    private Future<Node> search(Call c, boolean id3) {
        String query = c.get("query");
        int artistCount = c.integer("artistCount", 20, 0, MAX_LIST);
        int artistOffset = c.integer("artistOffset", 0, 0, Integer.MAX_VALUE);
        int albumCount = c.integer("albumCount", 20, 0, MAX_LIST);
        int albumOffset = c.integer("albumOffset", 0, 0, Integer.MAX_VALUE);
        int songCount = c.integer("songCount", 20, 0, MAX_LIST);
        int songOffset = c.integer("songOffset", 0, 0, Integer.MAX_VALUE);
        Future<List<ArtistSummary>> artists;
        Future<List<AlbumInfo>> albums;
        Future<List<Song>> songs;
        if (everything(query)) {
            artists = artistCount == 0 ? Future.succeededFuture(List.of())
                : library.artists().map(all -> slice(all, artistOffset, artistCount));
            albums = page(AlbumQuery.of(AlbumQuery.Order.ARTIST), albumOffset, albumCount);
            songs = library.songs(songOffset, songCount);
        } else {
            String q = query.replace("\"", " ").replace("*", " ").strip();
            int limit = (int) Math.min(MAX_LIST * 4L, Math.max((long) artistOffset + artistCount,
                Math.max((long) albumOffset + albumCount, (long) songOffset + songCount)));
            Future<SearchResult> found = limit == 0
                ? Future.succeededFuture(new SearchResult(List.of(), List.of(), List.of()))
                : catalog.search(q, limit);
            artists = found.map(r -> slice(r.artists(), artistOffset, artistCount));
            albums = found.compose(r -> {
                List<String> ids = slice(r.albums(), albumOffset, albumCount).stream().map(AlbumSummary::id).toList();
                return catalog.albumInfos(ids).map(m -> ids.stream().map(m::get).filter(a -> a != null).toList());
            });
            songs = found.map(r -> slice(r.songs(), songOffset, songCount));
        }
        Future<Map<String, Integer>> counts = id3 ? library.albumCounts() : Future.succeededFuture(Map.of());
        return Future.all(artists, albums, songs, counts, lib(c)).map(all -> {
            UserLibrary lib = all.resultAt(4);
            Map<String, Integer> albumCounts = all.resultAt(3);
            Node n = new Node(id3 ? "searchResult3" : "searchResult2");
            List<Node> a = n.list("artist");
            for (ArtistSummary s : all.<List<ArtistSummary>>resultAt(0)) {
                a.add(id3 ? Entries.artistId3("artist", s.id(), s.name(), albumCounts.getOrDefault(s.id(), 0), lib)
                    : Entries.artistFolder("artist", s.id(), s.name(), lib));
            }
            List<Node> al = n.list("album");
            for (AlbumInfo info : all.<List<AlbumInfo>>resultAt(1)) {
                al.add(id3 ? Entries.albumId3("album", info, lib) : Entries.albumFolder("album", info, lib));
            }
            List<Node> so = n.list("song");
            for (Song s : all.<List<Song>>resultAt(2)) {
                so.add(Entries.song("song", s, lib));
            }
            return n;
        });
    }

    private static <T> List<T> slice(List<T> all, int offset, int count) {
        if (count <= 0 || offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, Math.min(all.size(), offset + count));
    }

    // ------------------------------------------------------------------------------------------ annotation

    private Future<Node> starred(Call c, boolean id3) {
        return lib(c).compose(lib -> {
            List<String> artistIds = ranked(lib.starred().getOrDefault(ItemKind.ARTIST, Map.of()), Comparator.reverseOrder());
            List<String> albumIds = ranked(lib.starred().getOrDefault(ItemKind.ALBUM, Map.of()), Comparator.reverseOrder());
            List<String> songIds = ranked(lib.starred().getOrDefault(ItemKind.SONG, Map.of()), Comparator.reverseOrder());
            List<Future<Optional<Artist>>> artists = artistIds.stream().map(catalog::artist).toList();
            Future<Map<String, AlbumInfo>> albums = catalog.albumInfos(albumIds);
            Future<Map<String, Song>> songs = catalog.songs(songIds);
            return Future.all(Future.all(artists), albums, songs).map(done -> {
                Node n = new Node(id3 ? "starred2" : "starred");
                List<Node> a = n.list("artist");
                for (Future<Optional<Artist>> f : artists) {
                    f.result().ifPresent(artist -> a.add(id3
                        ? Entries.artistId3("artist", artist.id(), artist.name(), artist.albums().size(), lib)
                        : Entries.artistFolder("artist", artist.id(), artist.name(), lib)));
                }
                List<Node> al = n.list("album");
                for (String id : albumIds) {
                    AlbumInfo info = albums.result().get(id);
                    if (info != null) {
                        al.add(id3 ? Entries.albumId3("album", info, lib) : Entries.albumFolder("album", info, lib));
                    }
                }
                List<Node> so = n.list("song");
                for (String id : songIds) {
                    Song s = songs.result().get(id);
                    if (s != null) {
                        so.add(Entries.song("song", s, lib));
                    }
                }
                return n;
            });
        });
    }

    private Future<Node> star(Call c, boolean star) {
        Map<ItemKind, List<String>> items = new LinkedHashMap<>();
        for (String id : c.all("id")) {
            SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("item " + id));
            ItemKind kind = switch (p.kind()) {
                case SONG -> ItemKind.SONG;
                case ALBUM -> ItemKind.ALBUM;
                case ARTIST -> ItemKind.ARTIST;
                case PLAYLIST -> throw SubsonicException.notFound("item " + id);
            };
            items.computeIfAbsent(kind, k -> new ArrayList<>()).add(p.id());
        }
        for (String id : c.all("albumId")) {
            items.computeIfAbsent(ItemKind.ALBUM, k -> new ArrayList<>()).add(inner(id, SubsonicIds.Kind.ALBUM, "album"));
        }
        for (String id : c.all("artistId")) {
            items.computeIfAbsent(ItemKind.ARTIST, k -> new ArrayList<>()).add(inner(id, SubsonicIds.Kind.ARTIST, "artist"));
        }
        if (items.isEmpty()) {
            throw SubsonicException.missing("id");
        }
        List<Future<Void>> done = new ArrayList<>();
        items.forEach((kind, ids) -> done.add(star ? userData.star(c.user(), kind, ids) : userData.unstar(c.user(), kind, ids)));
        return Future.all(done).map(x -> null);
    }

    private Future<Node> setRating(Call c) {
        String id = c.required("id");
        String r = c.get("rating");
        if (r == null) {
            throw SubsonicException.missing("rating");
        }
        int rating = c.integer("rating", 0, 0, 5);
        SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("item " + id));
        ItemKind kind = switch (p.kind()) {
            case SONG -> ItemKind.SONG;
            case ALBUM -> ItemKind.ALBUM;
            case ARTIST -> ItemKind.ARTIST;
            case PLAYLIST -> throw SubsonicException.notFound("item " + id);
        };
        return userData.rate(c.user(), kind, p.id(), rating).map(v -> null);
    }

    private Future<Node> scrobble(Call c) {
        List<String> ids = c.all("id");
        if (ids.isEmpty()) {
            throw SubsonicException.missing("id");
        }
        List<String> songIds = ids.stream().map(id -> inner(id, SubsonicIds.Kind.SONG, "song")).toList();
        List<String> times = c.all("time");
        boolean submission = c.bool("submission", true);
        if (!submission) {
            return Future.succeededFuture(null); // "now playing": nothing kept
        }
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < songIds.size(); i++) {
            if (i < times.size()) {
                try {
                    at.add(Instant.ofEpochMilli(Long.parseLong(times.get(i).trim())));
                } catch (NumberFormatException e) {
                    throw SubsonicException.invalid("time is not milliseconds since the epoch: " + times.get(i));
                }
            } else {
                at.add(Instant.now());
            }
        }
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < songIds.size(); i++) {
            String songId = songIds.get(i);
            Instant when = at.get(i);
            chain = chain.compose(v -> userData.played(c.user(), songId, when));
        }
        return chain.map(v -> null);
    }

    // ------------------------------------------------------------------------------------------ metadata

    private Future<Metadata> metadata(MetadataRef ref) {
        Future<Metadata> lookup;
        try {
            lookup = metadata.metadata(ref);
        } catch (RuntimeException e) {
            lookup = Future.failedFuture(e);
        }
        return lookup.timeout(metadataTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .otherwise(t -> Metadata.unavailable())
            .map(m -> m == null ? Metadata.unavailable() : m);
    }

    private Future<Node> artistInfo(Call c, String element) {
        String id = c.required("id");
        SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("artist"));
        Future<ArtistSummary> artist = switch (p.kind()) {
            case ARTIST -> found(catalog.artist(p.id()), "artist").map(a -> new ArtistSummary(a.id(), a.name()));
            case ALBUM -> found(catalog.album(p.id()), "artist").map(Album::artist);
            case SONG -> found(catalog.song(p.id()), "artist").map(s -> new ArtistSummary(s.artistId(), s.artistName()));
            case PLAYLIST -> Future.failedFuture(SubsonicException.notFound("artist"));
        };
        return artist.compose(a -> metadata(MetadataRef.artist(a.id(), a.name()))).map(m -> {
            Node n = new Node(element);
            JsonObject data = m.status() == Metadata.Status.READY ? m.data() : null;
            if (data != null) {
                n.textChild("biography", blankToNull(data.getString("profile")));
                images(n, data.getJsonArray("images"));
            }
            n.list(element.equals("artistInfo") ? "similarArtist" : "similarArtist");
            return n;
        });
    }

    private Future<Node> albumInfo(Call c) {
        String id = c.required("id");
        SubsonicIds.Parsed p = SubsonicIds.parse(id).orElseThrow(() -> SubsonicException.notFound("album"));
        Future<Album> album = switch (p.kind()) {
            case ALBUM -> found(catalog.album(p.id()), "album");
            case SONG -> found(catalog.song(p.id()), "album").compose(s -> found(catalog.album(s.albumId()), "album"));
            default -> Future.failedFuture(SubsonicException.notFound("album"));
        };
        return album.compose(a -> metadata(MetadataRef.album(a.id(), a.artist().name(), a.name()))).map(m -> {
            Node n = new Node("albumInfo");
            JsonObject data = m.status() == Metadata.Status.READY ? m.data() : null;
            if (data != null) {
                n.textChild("notes", notes(data));
                images(n, data.getJsonArray("images"));
            }
            return n;
        });
    }

    /** Discogs' images are absolute URLs already: the first one, small (150 px) and full size. */
    private static void images(Node n, JsonArray images) {
        if (images == null || images.isEmpty() || !(images.getValue(0) instanceof JsonObject first)) {
            return;
        }
        String uri = blankToNull(first.getString("uri"));
        String small = blankToNull(first.getString("uri150"));
        n.textChild("smallImageUrl", small != null ? small : uri);
        n.textChild("mediumImageUrl", uri);
        n.textChild("largeImageUrl", uri);
    }

    /** Album notes from what Discogs says of the release: kind, year, country, labels, genres and styles. */
    static String notes(JsonObject d) {
        List<String> parts = new ArrayList<>();
        String title = d.getString("title");
        Object year = d.getValue("year");
        if (title != null) {
            parts.add(title + (year != null ? " (" + year + ")" : ""));
        }
        String released = d.getString("released");
        String country = d.getString("country");
        if (released != null || country != null) {
            parts.add("Released " + (released != null ? released : "") + (country != null ? (released != null ? ", " : "") + country : ""));
        }
        JsonArray labels = d.getJsonArray("labels");
        if (labels != null && !labels.isEmpty()) {
            List<String> l = new ArrayList<>();
            for (Object o : labels) {
                if (o instanceof JsonObject lo && lo.getString("name") != null) {
                    l.add(lo.getString("name") + (lo.getString("catno") != null ? " " + lo.getString("catno") : ""));
                }
            }
            if (!l.isEmpty()) {
                parts.add("Label: " + String.join(", ", l));
            }
        }
        Set<String> genres = new LinkedHashSet<>();
        for (String key : List.of("genres", "styles")) {
            JsonArray a = d.getJsonArray(key);
            if (a != null) {
                a.forEach(o -> genres.add(String.valueOf(o)));
            }
        }
        if (!genres.isEmpty()) {
            parts.add("Genres: " + String.join(", ", genres));
        }
        return parts.isEmpty() ? null : String.join(". ", parts) + ".";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    // ------------------------------------------------------------------------------------------ playlists

    private static String playlistId(String id) {
        return SubsonicIds.of(SubsonicIds.Kind.PLAYLIST, id).orElseThrow(() -> SubsonicException.notFound("playlist"));
    }

    private Future<Node> getPlaylists(Call c) {
        String of = c.get("username");
        if (of != null && !of.equalsIgnoreCase(c.user()) && !c.who().isAdmin()) {
            throw new SubsonicException(SubsonicException.NOT_AUTHORISED, "only an admin may list another user's playlists");
        }
        return userData.playlists(c.user()).compose(lists -> {
            Set<String> ids = new LinkedHashSet<>();
            lists.forEach(p -> ids.addAll(p.songIds()));
            return catalog.songs(ids).map(songs -> {
                Node n = new Node("playlists");
                List<Node> items = n.list("playlist");
                for (Playlist p : lists) {
                    items.add(playlistNode(p, songs, false, null));
                }
                return n;
            });
        });
    }

    private Node playlistNode(Playlist p, Map<String, Song> songs, boolean withEntries, UserLibrary lib) {
        List<Song> present = p.songIds().stream().map(songs::get).filter(s -> s != null).toList();
        long duration = present.stream().mapToLong(s -> s.tags() == null || s.tags().durationSeconds() == null ? 0
            : s.tags().durationSeconds()).sum();
        String cover = present.isEmpty() ? null : SubsonicIds.album(present.get(0).albumId());
        Node n = Entries.playlist(p, present.size(), duration, cover);
        if (withEntries) {
            List<Node> entries = n.list("entry");
            present.forEach(s -> entries.add(Entries.song("entry", s, lib)));
        }
        return n;
    }

    private Future<Node> playlistAnswer(Call c, Playlist p) {
        return Future.all(catalog.songs(p.songIds()), lib(c))
            .map(all -> playlistNode(p, all.resultAt(0), true, all.resultAt(1)));
    }

    private Future<Node> getPlaylist(Call c) {
        String id = playlistId(c.required("id"));
        return userData.playlist(c.user(), id).compose(p -> p.isPresent() ? playlistAnswer(c, p.get())
            : Future.failedFuture(SubsonicException.notFound("playlist")));
    }

    private Future<Node> createPlaylist(Call c) {
        List<String> songIds = c.all("songId").stream().map(id -> inner(id, SubsonicIds.Kind.SONG, "song")).toList();
        String existing = c.get("playlistId");
        if (existing != null) {
            // the 1.x form: replaces the songs (and the name when given) of an existing playlist
            return userData.updatePlaylist(c.user(), playlistId(existing),
                    new PlaylistChange(c.get("name"), null, null, null, null, songIds, null))
                .compose(p -> playlistAnswer(c, p));
        }
        String name = c.required("name");
        return userData.createPlaylist(c.user(), name, null, false, songIds).compose(p -> playlistAnswer(c, p));
    }

    private Future<Node> updatePlaylist(Call c) {
        String id = playlistId(c.required("playlistId"));
        List<String> add = c.all("songIdToAdd").stream().map(s -> inner(s, SubsonicIds.Kind.SONG, "song")).toList();
        List<Integer> remove = new ArrayList<>();
        for (String i : c.all("songIndexToRemove")) {
            try {
                remove.add(Integer.valueOf(i.trim()));
            } catch (NumberFormatException e) {
                throw SubsonicException.invalid("songIndexToRemove is not an integer: " + i);
            }
        }
        PlaylistChange change = new PlaylistChange(c.get("name"), c.params().get("comment"), c.boolOrNull("public"),
            remove, add, null, null);
        return userData.updatePlaylist(c.user(), id, change).map(p -> null);
    }

    // ------------------------------------------------------------------------------------------ play queue, user

    private Future<Node> getPlayQueue(Call c) {
        return userData.queue(c.user()).compose(q -> {
            if (q.songIds().isEmpty() || q.changedAt() == null) {
                return Future.succeededFuture(null);
            }
            return Future.all(catalog.songs(q.songIds()), lib(c)).map(all -> {
                Map<String, Song> songs = all.resultAt(0);
                UserLibrary lib = all.resultAt(1);
                Node n = new Node("playQueue");
                if (q.current() >= 0 && q.current() < q.songIds().size()) {
                    n.attr("current", SubsonicIds.song(q.songIds().get(q.current())));
                }
                n.attr("position", q.positionMs())
                    .attr("username", c.user())
                    .attr("changed", Entries.date(q.changedAt()))
                    .attr("changedBy", q.changedBy() == null ? "" : q.changedBy());
                List<Node> entries = n.list("entry");
                for (String id : q.songIds()) {
                    Song s = songs.get(id);
                    if (s != null) {
                        entries.add(Entries.song("entry", s, lib));
                    }
                }
                return n;
            });
        });
    }

    private Future<Node> savePlayQueue(Call c) {
        List<String> ids = c.all("id").stream().map(id -> inner(id, SubsonicIds.Kind.SONG, "song")).toList();
        String current = c.get("current");
        int index = -1;
        if (current != null) {
            String cur = inner(current, SubsonicIds.Kind.SONG, "song");
            index = ids.indexOf(cur);
            if (index < 0) {
                throw SubsonicException.invalid("current is not one of the queue's ids");
            }
        } else if (!ids.isEmpty()) {
            index = 0;
        }
        long position = c.longValue("position", 0);
        if (position < 0) {
            throw SubsonicException.invalid("position must not be negative");
        }
        String client = c.get("c");
        return userData.saveQueue(c.user(), new PlayQueue(ids, index, position, null, client)).map(q -> null);
    }

    /**
     * One user: the signed-in one, or (an admin asking) any account, read from the accounts; a listener asking for
     * someone else gets 50, an unknown name 70.
     */
    private Future<Node> getUser(Call c) {
        String name = c.required("username");
        if (name.equalsIgnoreCase(c.user())) {
            return Future.succeededFuture(userNode(c.user(), c.who().role()));
        }
        if (!c.who().isAdmin()) {
            throw new SubsonicException(SubsonicException.NOT_AUTHORISED, "only an admin may read another user");
        }
        return accounts.list(c.who()).compose(all -> all.stream()
            .filter(u -> u.username().equalsIgnoreCase(name))
            .findFirst()
            .map(u -> Future.succeededFuture(userNode(u.username(), u.role())))
            .orElseGet(() -> Future.failedFuture(SubsonicException.notFound("user " + name))));
    }

    /** Every account (admin only). */
    private Future<Node> getUsers(Call c) {
        return accounts.list(c.who()).map(all -> {
            Node n = new Node("users");
            List<Node> list = n.list("user");
            for (UserView u : all) {
                list.add(userNode(u.username(), u.role()));
            }
            return n;
        });
    }

    /** A user entry; the roles follow the account's role (uploads are for admins, as on {@code /api}). */
    private static Node userNode(String username, Role role) {
        boolean admin = role == Role.ADMIN;
        Node n = new Node("user")
            .attr("username", username)
            .attr("scrobblingEnabled", true)
            .attr("adminRole", admin)
            .attr("settingsRole", true)
            .attr("downloadRole", true)
            .attr("uploadRole", admin)
            .attr("playlistRole", true)
            .attr("coverArtRole", false)
            .attr("commentRole", false)
            .attr("podcastRole", false)
            .attr("streamRole", true)
            .attr("jukeboxRole", false)
            .attr("shareRole", false)
            .attr("videoConversionRole", false);
        n.list("folder").add(new Node("folder").text(1));
        return n;
    }

    // ------------------------------------------------------------------------------------------ scan

    /** Asks the indexer (status, or start then status); without an answer the catalog's count, not scanning. */
    private Future<Node> scanStatus(String address) {
        DeliveryOptions options = RequestIds.deliveryOptions().setSendTimeout(eventBusTimeout.toMillis());
        Future<JsonObject> asked = vertx.eventBus().<Object>request(address, new JsonObject(), options)
            .map(m -> m.body() instanceof JsonObject j ? j : new JsonObject());
        if (address.equals(Addresses.RESCAN_START)) {
            // a scan already running answers 409: it is running, which is what the client wants to know
            asked = asked.recover(e -> e instanceof io.vertx.core.eventbus.ReplyException r && r.failureCode() == 409
                ? Future.succeededFuture(new JsonObject().put("state", "running"))
                : Future.failedFuture(new SubsonicException(SubsonicException.GENERIC, "no indexer answered; try again")));
        } else {
            asked = asked.otherwise(new JsonObject());
        }
        return asked.compose(status -> {
            boolean scanning = "running".equals(status.getString("state"));
            Long listed = status.getValue("listed") instanceof Number n ? n.longValue() : null;
            if (scanning && listed != null) {
                return Future.succeededFuture(new Node("scanStatus").attr("scanning", true).attr("count", listed));
            }
            return catalog.size().map(size -> new Node("scanStatus").attr("scanning", scanning).attr("count", size));
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The catalog id of {@code id} when it is of {@code kind}, else error 70. */
    static String inner(String id, SubsonicIds.Kind kind, String what) {
        return SubsonicIds.of(kind, id).orElseThrow(() -> SubsonicException.notFound(what + " " + id));
    }

    private static <T> Future<T> found(Future<Optional<T>> lookup, String what) {
        return lookup.compose(o -> o.<Future<T>>map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(SubsonicException.notFound(what))));
    }
}
