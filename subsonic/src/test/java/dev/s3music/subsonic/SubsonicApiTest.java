package dev.s3music.subsonic;

import dev.s3music.model.Addresses;
import dev.s3music.model.Song;
import dev.s3music.model.event.SongIndexed;
import dev.s3music.model.event.SongRemoved;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /rest} over raw HTTP against the API as the launcher assembles it ({@link SubsonicServer}): each sign-in
 * mode and each error code, {@code .view}, any {@code v}, the formats, the methods, streams; every XML answer is
 * validated against the Subsonic XSD (with OpenSubsonic's additions).
 */
@ExtendWith(VertxExtension.class)
class SubsonicApiTest {

    @TempDir
    static Path base;
    static SubsonicServer server;
    static HttpClient http;
    static Schema schema;
    static Song one;
    static Song two;
    static Song other;
    static Song loose;
    static Song folderNamedLikeFile;
    /** Distinct client addresses (X-Forwarded-For from a trusted loopback proxy) so failed sign-ins never block others. */
    static final AtomicInteger CLIENTS = new AtomicInteger(1);

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        server = SubsonicServer.start(vertx, base);
        one = server.put("Teacher/Etudes/01 One.mp3", 40_000, "Classical", 2001, 120);
        two = server.put("Teacher/Etudes/02 Two.mp3", 30_000, "Classical", 2001, 90);
        other = server.put("Teacher/Scales/01 Other.flac", 20_000, "Jazz", 1999, 60);
        server.put("The Band/Live/01 Song.ogg", 10_000, null, null, null);
        loose = server.put("X.mp3", 5_000, null, null, null);
        folderNamedLikeFile = server.indexOnly("X.mp3/Album/01 a.mp3", 6_000);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(300, 300, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", jpeg);
        server.art("Teacher/Etudes/cover.jpg", jpeg.toByteArray());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        schema = schema(base.resolve("xsd"));
        // an indexer that answers the rescan commands (startScan, getScanStatus)
        vertx.eventBus().consumer(Addresses.RESCAN_START, m -> m.reply(new JsonObject().put("state", "running").put("listed", 3)));
        vertx.eventBus().consumer(Addresses.RESCAN_STATUS, m -> m.reply(new JsonObject().put("state", "idle")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * The Subsonic XSD (unchanged in the test resources) with OpenSubsonic's additions ({@code opensubsonic.xsd}),
     * loaded with one substitution OpenSubsonic makes: {@code playQueue/@current} is the id of the current song, a
     * string like every other id (the 1.15 schema says int; Subsonic's own ids were numbers).
     */
    static Schema schema(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        String original = new String(SubsonicApiTest.class.getResourceAsStream("/xsd/subsonic-rest-api.xsd").readAllBytes(),
            StandardCharsets.UTF_8);
        String current = "<xs:attribute name=\"current\" type=\"xs:int\" use=\"optional\"/>";
        assertThat(original).contains(current);
        java.nio.file.Files.writeString(dir.resolve("subsonic-rest-api.xsd"),
            original.replace(current, "<xs:attribute name=\"current\" type=\"xs:string\" use=\"optional\"/>"));
        java.nio.file.Files.write(dir.resolve("opensubsonic.xsd"),
            SubsonicApiTest.class.getResourceAsStream("/xsd/opensubsonic.xsd").readAllBytes());
        return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(dir.resolve("opensubsonic.xsd").toFile());
    }

    static final String STUDENT = "u=student&p=" + SubsonicServer.STUDENT_PW + "&v=1.16.1&c=test";
    static final String ADMIN = "u=admin&p=" + SubsonicServer.ADMIN_PW + "&v=1.16.1&c=test";

    static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A fresh client address for a request that may fail its sign-in. */
    static String[] fresh() {
        return new String[]{"X-Forwarded-For", "10.9." + (CLIENTS.get() / 250) + "." + (CLIENTS.getAndIncrement() % 250 + 1)};
    }

    /** Parses and validates an XML answer against the XSD; the root element. */
    static Element xml(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isIn(200, 416);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(r.body())));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        Element root = d.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://subsonic.org/restapi");
        assertThat(root.getLocalName()).isEqualTo("subsonic-response");
        assertThat(root.getAttribute("version")).isEqualTo("1.16.1");
        assertThat(root.getAttribute("type")).isEqualTo("s3music");
        assertThat(root.getAttribute("openSubsonic")).isEqualTo("true");
        assertThat(root.getAttribute("serverVersion")).isNotEmpty();
        return root;
    }

    /** An XML answer that must be ok. */
    static Element ok(String method, String query) throws Exception {
        Element root = xml(get("/rest/" + method + "?" + query));
        assertThat(root.getAttribute("status")).as(method + " " + query + ": " + error(root)).isEqualTo("ok");
        return root;
    }

    static String error(Element root) {
        NodeList e = root.getElementsByTagNameNS("*", "error");
        return e.getLength() == 0 ? "" : ((Element) e.item(0)).getAttribute("code") + " " + ((Element) e.item(0)).getAttribute("message");
    }

    /** The error code of a failed XML answer (HTTP 200). */
    static int failedCode(HttpResponse<byte[]> r) throws Exception {
        Element root = xml(r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(root.getAttribute("status")).isEqualTo("failed");
        Element e = (Element) root.getElementsByTagNameNS("*", "error").item(0);
        return Integer.parseInt(e.getAttribute("code"));
    }

    static List<Element> all(Element root, String name) {
        NodeList l = root.getElementsByTagNameNS("*", name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            out.add((Element) l.item(i));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String bearer(String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/auth/login"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user).put("password", password).encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return "Bearer " + new JsonObject(r.body()).getString("token");
    }

    static JsonObject apiPost(String path, String authorization) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base() + path))
            .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body());
    }

    // ------------------------------------------------------------------------------------------ sign-in

    @Test
    void signsInWithThePasswordPlainOrHexEncodedInEitherCase() throws Exception {
        ok("ping", STUDENT);
        String hex = HexFormat.of().formatHex(SubsonicServer.STUDENT_PW.getBytes(StandardCharsets.UTF_8));
        ok("ping", "u=student&p=enc:" + hex + "&v=1.16.1&c=test");
        ok("ping", "u=student&p=ENC:" + hex.toUpperCase() + "&v=1.16.1&c=test");
        assertThat(failedCode(get("/rest/ping?u=student&p=enc:zz&c=t&v=1.16.1", fresh()))).isEqualTo(40);
    }

    @Test
    void tokenSignInNeedsAnAppPasswordWhichAlsoWorksAsP() throws Exception {
        String salt = "c19b2d";
        // the admin has no app password: 41
        assertThat(failedCode(get("/rest/ping?u=admin&t=" + md5(SubsonicServer.ADMIN_PW + salt) + "&s=" + salt
            + "&v=1.16.1&c=t", fresh()))).isEqualTo(41);
        String app = apiPost("/api/me/subsonic-password", bearer("admin", SubsonicServer.ADMIN_PW)).getString("password");
        assertThat(app).isNotBlank();
        ok("ping", "u=admin&t=" + md5(app + salt) + "&s=" + salt + "&v=1.16.1&c=t");
        // the same salt again (clients reuse one for a session), and upper-case hex
        ok("ping", "u=admin&t=" + md5(app + salt).toUpperCase() + "&s=" + salt + "&v=1.16.1&c=t");
        ok("ping", "u=admin&p=" + enc(app) + "&v=1.16.1&c=t");
        // a wrong token: 40; t without s: 10
        assertThat(failedCode(get("/rest/ping?u=admin&t=" + md5("nope" + salt) + "&s=" + salt + "&c=t", fresh()))).isEqualTo(40);
        assertThat(failedCode(get("/rest/ping?u=admin&t=" + md5(app + salt) + "&c=t", fresh()))).isEqualTo(10);
        // a new app password replaces the old one at once on this instance
        String next = apiPost("/api/me/subsonic-password", bearer("admin", SubsonicServer.ADMIN_PW)).getString("password");
        assertThat(next).isNotEqualTo(app);
        assertThat(failedCode(get("/rest/ping?u=admin&t=" + md5(app + salt) + "&s=" + salt + "&c=t", fresh()))).isEqualTo(40);
        ok("ping", "u=admin&t=" + md5(next + salt) + "&s=" + salt + "&v=1.16.1&c=t");
    }

    @Test
    void apiKeySignsInAloneAndConflictsWithU() throws Exception {
        String key = apiPost("/api/me/api-keys", bearer("student", SubsonicServer.STUDENT_PW)).getString("apiKey");
        Element root = ok("getUser", "apiKey=" + enc(key) + "&username=student&v=1.16.1&c=t");
        assertThat(all(root, "user").get(0).getAttribute("adminRole")).isEqualTo("false");
        assertThat(failedCode(get("/rest/ping?u=student&apiKey=" + enc(key) + "&c=t", fresh()))).isEqualTo(43);
        assertThat(failedCode(get("/rest/ping?apiKey=not-a-key&c=t", fresh()))).isEqualTo(44);
    }

    @Test
    void answersEachErrorCodeOfTheSpec() throws Exception {
        // 10: no credentials at all, and a method's required parameter
        assertThat(failedCode(get("/rest/ping?v=1.16.1&c=t", fresh()))).isEqualTo(10);
        assertThat(failedCode(get("/rest/getAlbum?" + STUDENT))).isEqualTo(10);
        // 40: wrong password (an unknown user alike)
        assertThat(failedCode(get("/rest/ping?u=student&p=wrong-password-1&c=t", fresh()))).isEqualTo(40);
        assertThat(failedCode(get("/rest/ping?u=nobody-" + CLIENTS.get() + "&p=whatever-123&c=t", fresh()))).isEqualTo(40);
        // 42: a mode this API does not take (HTTP Basic on its own)
        assertThat(failedCode(get("/rest/ping?c=t", "Authorization", "Basic c3R1ZGVudDp4", "X-Forwarded-For", "10.8.0.1")))
            .isEqualTo(42);
        // 43: p and t together
        assertThat(failedCode(get("/rest/ping?u=student&p=x&t=y&s=z&c=t", fresh()))).isEqualTo(43);
        // 50: a listener on an admin method
        assertThat(failedCode(get("/rest/startScan?" + STUDENT))).isEqualTo(50);
        // 70: an id that names nothing, and an unknown method
        assertThat(failedCode(get("/rest/getAlbum?id=al-bm9wZQ&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/getSong?id=" + "al-" + one.albumId() + "&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/noSuchMethod?" + STUDENT))).isEqualTo(70);
        // 0: a bad value
        assertThat(failedCode(get("/rest/getAlbumList2?type=bogus&" + STUDENT))).isEqualTo(0);
        assertThat(failedCode(get("/rest/getAlbumList2?type=newest&size=501&" + STUDENT))).isEqualTo(0);
    }

    @Test
    void everyMethodRefusesAnonymousAndWrongCredentialsInItsOwnProtocol() throws Exception {
        List<String> names = new ArrayList<>(new Methods(null, null, null, null, null, null, null, null).all().keySet());
        names.addAll(List.of("stream", "download", "getCoverArt"));
        assertThat(names).hasSizeGreaterThan(45);
        for (String m : names) {
            assertThat(failedCode(get("/rest/" + m + "?id=" + SubsonicIds.song(one.id()), fresh()))).as(m + " anonymous")
                .isEqualTo(10);
            // a user of its own per call: the throttle (5 failures per user) must not turn 40 into "too many"
            assertThat(failedCode(get("/rest/" + m + ".view?u=nobody-" + m + "&p=wrong-password&c=t&id="
                + SubsonicIds.song(one.id()), fresh()))).as(m + " with a wrong password").isEqualTo(40);
        }
    }

    @Test
    void failedSignInsAreThrottledLikeTheLogin() throws Exception {
        String[] client = {"X-Forwarded-For", "10.7.7.7"};
        for (int i = 0; i < 5; i++) {
            assertThat(failedCode(get("/rest/ping?u=ghost&p=wrong-password-" + i + "&c=t", client))).isEqualTo(40);
        }
        HttpResponse<byte[]> r = get("/rest/ping?u=ghost&p=wrong-password-9&c=t", client);
        assertThat(failedCode(r)).isEqualTo(0);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("too many failed sign-ins");
        // other clients are not held up
        ok("ping", STUDENT);
    }

    @Test
    void startScanIsForAdminsAndOpenSubsonicExtensionsForEveryone() throws Exception {
        Element scan = ok("startScan", ADMIN);
        assertThat(all(scan, "scanStatus").get(0).getAttribute("scanning")).isEqualTo("true");
        Element status = ok("getScanStatus", STUDENT);
        assertThat(all(status, "scanStatus").get(0).getAttribute("count")).isEqualTo(String.valueOf(server.catalog.size().await()));
        // no credentials needed; credentials sent are ignored (even wrong ones)
        Element ext = ok("getOpenSubsonicExtensions", "f=xml");
        assertThat(all(ext, "openSubsonicExtensions")).extracting(e -> e.getAttribute("name"))
            .containsExactly("formPost", "apiKeyAuthentication");
        ok("getOpenSubsonicExtensions", "u=x&p=y");
    }

    // ------------------------------------------------------------------------------------------ protocol

    @Test
    void answersWithAndWithoutViewAnyVersionGetAndPost() throws Exception {
        ok("ping.view", STUDENT);
        ok("ping", "u=student&p=" + SubsonicServer.STUDENT_PW + "&v=1.2.0&c=DSub");
        ok("ping", "u=student&p=" + SubsonicServer.STUDENT_PW);
        Element posted = xml(post("/rest/ping.view", STUDENT));
        assertThat(posted.getAttribute("status")).isEqualTo("ok");
        // query and form merged: credentials in the query, the id in the body
        Element song = xml(post("/rest/getSong?" + STUDENT, "id=" + SubsonicIds.song(one.id())));
        assertThat(all(song, "song").get(0).getAttribute("title")).isEqualTo("One");
        // booleans any case
        ok("updatePlaylist", STUDENT + "&playlistId=" + enc(newPlaylist("bools")) + "&public=TRUE");
    }

    @Test
    void jsonAndJsonp() throws Exception {
        HttpResponse<byte[]> r = get("/rest/getAlbum?f=json&id=" + SubsonicIds.album(one.albumId()) + "&" + STUDENT);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonObject env = new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonObject("subsonic-response");
        assertThat(env.getString("status")).isEqualTo("ok");
        assertThat(env.getBoolean("openSubsonic")).isTrue();
        JsonObject album = env.getJsonObject("album");
        assertThat(album.getInteger("songCount")).isEqualTo(2);
        JsonArray songs = album.getJsonArray("song");
        assertThat(songs).hasSize(2);
        JsonObject s = songs.getJsonObject(0);
        assertThat(s.getValue("size")).isInstanceOf(Number.class);
        assertThat(s.getBoolean("isDir")).isFalse();
        assertThat(s.getJsonArray("genres").getJsonObject(0).getString("name")).isEqualTo("Classical");
        assertThat(s.getString("created")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        // a one-element list is still an array
        JsonObject one = new JsonObject(new String(get("/rest/getAlbumList2?type=alphabeticalByName&size=1&f=json&"
            + STUDENT).body(), StandardCharsets.UTF_8)).getJsonObject("subsonic-response");
        assertThat(one.getJsonObject("albumList2").getJsonArray("album")).hasSize(1);
        // errors in JSON too
        JsonObject failed = new JsonObject(new String(get("/rest/getAlbum?f=json&" + STUDENT).body(), StandardCharsets.UTF_8))
            .getJsonObject("subsonic-response");
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getJsonObject("error").getInteger("code")).isEqualTo(10);
        HttpResponse<byte[]> p = get("/rest/ping?f=jsonp&callback=cb_1&" + STUDENT);
        assertThat(p.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
        assertThat(new String(p.body(), StandardCharsets.UTF_8)).startsWith("cb_1({\"subsonic-response\":");
        HttpResponse<byte[]> bad = get("/rest/ping?f=jsonp&callback=alert(1)&" + STUDENT);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).doesNotContain("alert");
    }

    // ------------------------------------------------------------------------------------------ browsing

    /** The artist names getIndexes lists now. */
    static List<String> indexedArtists() throws Exception {
        return all(ok("getIndexes", STUDENT), "artist").stream().map(e -> e.getAttribute("name")).toList();
    }

    @Test
    void aCatalogEventShowsANewArtistAtOnceNotAfterTheCacheBound() throws Exception {
        String key = "Newcomer/Debut/01 First.mp3";
        assertThat(indexedArtists()).contains("Teacher").doesNotContain("Newcomer"); // the whole-library view cached
        Song song = server.indexOnly(key, 7_000);
        try {
            server.vertx.eventBus().publish(Addresses.SONG_INDEXED, SongIndexed.of(song));
            // well inside the 10 s bound the view would otherwise be kept for
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            List<String> names = indexedArtists();
            while (!names.contains("Newcomer") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                names = indexedArtists();
            }
            assertThat(names).contains("Newcomer", "Teacher");
        } finally {
            server.catalog.remove(key).await();
            server.vertx.eventBus().publish(Addresses.SONG_REMOVED, new SongRemoved(song.id(), key));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<String> names = indexedArtists();
        while (names.contains("Newcomer") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            names = indexedArtists();
        }
        assertThat(names).doesNotContain("Newcomer");
    }

    @Test
    void foldersIndexesAndDirectories() throws Exception {
        Element folders = ok("getMusicFolders", STUDENT);
        assertThat(all(folders, "musicFolder").get(0).getAttribute("id")).isEqualTo("1");
        Element indexes = ok("getIndexes", STUDENT);
        Element idx = all(indexes, "indexes").get(0);
        assertThat(idx.getAttribute("ignoredArticles")).contains("The");
        assertThat(Long.parseLong(idx.getAttribute("lastModified"))).isPositive();
        // "The Band" under B
        Element b = all(indexes, "index").stream().filter(e -> e.getAttribute("name").equals("B")).findFirst().orElseThrow();
        assertThat(all(b, "artist").get(0).getAttribute("name")).isEqualTo("The Band");
        Element teacher = all(indexes, "artist").stream().filter(e -> e.getAttribute("name").equals("Teacher"))
            .findFirst().orElseThrow();
        Element dir = ok("getMusicDirectory", STUDENT + "&id=" + teacher.getAttribute("id"));
        List<Element> albums = all(dir, "child");
        assertThat(albums).extracting(e -> e.getAttribute("title")).containsExactly("Etudes", "Scales");
        assertThat(albums).allMatch(e -> e.getAttribute("isDir").equals("true"));
        Element songs = ok("getMusicDirectory", STUDENT + "&id=" + albums.get(0).getAttribute("id"));
        assertThat(all(songs, "child")).extracting(e -> e.getAttribute("title")).containsExactly("One", "Two");
        // a top-level file X.mp3 and an artist folder X.mp3: distinct ids, each opens its own thing
        String songId = SubsonicIds.song(loose.id());
        String artistId = SubsonicIds.artist(folderNamedLikeFile.artistId());
        assertThat(loose.id()).isEqualTo(folderNamedLikeFile.artistId());
        assertThat(songId).isNotEqualTo(artistId);
        assertThat(all(ok("getSong", STUDENT + "&id=" + songId), "song").get(0).getAttribute("path")).isEqualTo("X.mp3");
        assertThat(all(ok("getMusicDirectory", STUDENT + "&id=" + artistId), "child")).extracting(e -> e.getAttribute("title"))
            .containsExactly("Album");
        assertThat(failedCode(get("/rest/getMusicDirectory?id=" + songId + "&" + STUDENT))).isEqualTo(70);
    }

    @Test
    void id3BrowsingAndEntries() throws Exception {
        Element artists = ok("getArtists", STUDENT);
        Element teacher = all(artists, "artist").stream().filter(e -> e.getAttribute("name").equals("Teacher"))
            .findFirst().orElseThrow();
        assertThat(teacher.getAttribute("albumCount")).isEqualTo("2");
        Element artist = ok("getArtist", STUDENT + "&id=" + teacher.getAttribute("id"));
        assertThat(all(artist, "album")).extracting(e -> e.getAttribute("name")).containsExactly("Etudes", "Scales");
        Element album = ok("getAlbum", STUDENT + "&id=" + SubsonicIds.album(one.albumId()));
        Element a = all(album, "album").get(0);
        assertThat(a.getAttribute("songCount")).isEqualTo("2");
        assertThat(a.getAttribute("duration")).isEqualTo("210");
        assertThat(a.getAttribute("year")).isEqualTo("2001");
        Element s = all(album, "song").get(0);
        assertThat(s.getAttribute("id")).isEqualTo(SubsonicIds.song(one.id()));
        assertThat(s.getAttribute("parent")).isEqualTo(SubsonicIds.album(one.albumId()));
        assertThat(s.getAttribute("albumId")).isEqualTo(SubsonicIds.album(one.albumId()));
        assertThat(s.getAttribute("artistId")).isEqualTo(SubsonicIds.artist(one.artistId()));
        assertThat(s.getAttribute("track")).isEqualTo("1");
        assertThat(s.getAttribute("suffix")).isEqualTo("mp3");
        assertThat(s.getAttribute("contentType")).isEqualTo("audio/mpeg");
        assertThat(s.getAttribute("size")).isEqualTo("40000");
        assertThat(s.getAttribute("duration")).isEqualTo("120");
        assertThat(s.getAttribute("type")).isEqualTo("music");
        assertThat(s.getAttribute("mediaType")).isEqualTo("song");
        assertThat(s.getAttribute("created")).endsWith("Z");
        // a song without tags: no empty numeric attribute
        Element band = ok("search3", STUDENT + "&query=Song&artistCount=0&albumCount=0");
        Element untagged = all(band, "song").get(0);
        assertThat(untagged.hasAttribute("year")).isFalse();
        assertThat(untagged.hasAttribute("duration")).isFalse();
        Element genres = ok("getGenres", STUDENT);
        assertThat(all(genres, "genre")).extracting(e -> e.getTextContent() + ":" + e.getAttribute("songCount") + ":"
            + e.getAttribute("albumCount")).contains("Classical:2:1", "Jazz:1:1");
    }

    @Test
    void albumListsOfEveryType() throws Exception {
        for (String type : List.of("random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
            "alphabeticalByArtist", "starred")) {
            ok("getAlbumList2", STUDENT + "&type=" + type + "&size=500");
            ok("getAlbumList", STUDENT + "&type=" + type);
        }
        Element byName = ok("getAlbumList2", STUDENT + "&type=alphabeticalByName&size=2&offset=1");
        assertThat(all(byName, "album")).hasSize(2);
        Element newestFirst = ok("getAlbumList2", STUDENT + "&type=byYear&fromYear=2010&toYear=1990");
        assertThat(all(newestFirst, "album")).extracting(e -> e.getAttribute("name")).containsExactly("Etudes", "Scales");
        Element byGenre = ok("getAlbumList2", STUDENT + "&type=byGenre&genre=jazz");
        assertThat(all(byGenre, "album")).extracting(e -> e.getAttribute("name")).containsExactly("Scales");
        assertThat(failedCode(get("/rest/getAlbumList2?type=byYear&fromYear=1&" + STUDENT))).isEqualTo(10);
        Element random = ok("getRandomSongs", STUDENT + "&size=3");
        assertThat(all(random, "song")).hasSize(3);
        Element classical = ok("getSongsByGenre", STUDENT + "&genre=Classical&count=1&offset=1");
        assertThat(all(classical, "song")).extracting(e -> e.getAttribute("title")).containsExactly("Two");
    }

    @Test
    void search3WithTwoQuotesPagesThroughEverySongAndHonoursZeroCounts() throws Exception {
        long total = server.catalog.size().await();
        Set<String> seen = new HashSet<>();
        for (int offset = 0; offset < total + 2; offset += 2) {
            Element r = ok("search3", STUDENT + "&query=%22%22&artistCount=0&albumCount=0&songCount=2&songOffset=" + offset);
            assertThat(all(r, "artist")).isEmpty();
            assertThat(all(r, "album")).isEmpty();
            for (Element s : all(r, "song")) {
                assertThat(seen.add(s.getAttribute("id"))).as("no song twice").isTrue();
            }
        }
        assertThat(seen).hasSize((int) total);
        Element empty = ok("search3", STUDENT + "&query=&songCount=0");
        assertThat(all(empty, "song")).isEmpty();
        assertThat(all(empty, "artist")).isNotEmpty();
        Element words = ok("search2", STUDENT + "&query=Etudes");
        assertThat(all(words, "album")).extracting(e -> e.getAttribute("title")).containsExactly("Etudes");
    }

    // ------------------------------------------------------------------------------------------ user data

    @Test
    void starRateScrobbleAndStarred() throws Exception {
        String songId = SubsonicIds.song(two.id());
        String albumId = SubsonicIds.album(other.albumId());
        String artistId = SubsonicIds.artist(other.artistId());
        ok("star", ADMIN + "&id=" + songId + "&albumId=" + albumId + "&artistId=" + artistId);
        ok("setRating", ADMIN + "&id=" + songId + "&rating=4");
        ok("scrobble", ADMIN + "&id=" + songId + "&time=1700000000000&submission=true");
        Element starred = ok("getStarred2", ADMIN);
        assertThat(all(starred, "song")).extracting(e -> e.getAttribute("id")).containsExactly(songId);
        Element s = all(starred, "song").get(0);
        assertThat(s.getAttribute("starred")).endsWith("Z");
        assertThat(s.getAttribute("userRating")).isEqualTo("4");
        assertThat(s.getAttribute("playCount")).isEqualTo("1");
        assertThat(s.getAttribute("played")).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(all(starred, "album")).extracting(e -> e.getAttribute("id")).containsExactly(albumId);
        assertThat(all(starred, "artist")).extracting(e -> e.getAttribute("id")).containsExactly(artistId);
        ok("getStarred", ADMIN);
        assertThat(all(ok("getAlbumList2", ADMIN + "&type=starred"), "album")).hasSize(1);
        assertThat(all(ok("getAlbumList2", ADMIN + "&type=frequent"), "album")).extracting(e -> e.getAttribute("name"))
            .containsExactly("Etudes");
        ok("unstar", ADMIN + "&id=" + songId);
        assertThat(all(ok("getStarred2", ADMIN), "song")).isEmpty();
        assertThat(failedCode(get("/rest/setRating?id=" + songId + "&rating=6&" + ADMIN))).isEqualTo(0);
        assertThat(failedCode(get("/rest/star?id=garbage&" + ADMIN))).isEqualTo(70);
    }

    static String newPlaylist(String name) throws Exception {
        Element p = ok("createPlaylist", STUDENT + "&name=" + name + "&songId=" + SubsonicIds.song(one.id()));
        return all(p, "playlist").get(0).getAttribute("id");
    }

    @Test
    void playlistsWithHundredsOfLongSongIdsByGetAndPost() throws Exception {
        String id1 = SubsonicIds.song(one.id());
        String id2 = SubsonicIds.song(two.id());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("&songId=").append(i % 2 == 0 ? id1 : id2);
        }
        Element created = xml(post("/rest/createPlaylist.view", STUDENT + "&name=Long" + many));
        Element p = all(created, "playlist").get(0);
        assertThat(p.getAttribute("songCount")).isEqualTo("300");
        assertThat(all(p, "entry")).hasSize(300);
        String pid = p.getAttribute("id");
        Element byGet = ok("createPlaylist", STUDENT + "&name=LongGet" + many);
        assertThat(all(byGet, "entry")).hasSize(300);
        ok("updatePlaylist", STUDENT + "&playlistId=" + pid + "&name=Renamed&songIdToAdd=" + SubsonicIds.song(other.id())
            + "&songIndexToRemove=0&songIndexToRemove=1");
        Element got = ok("getPlaylist", STUDENT + "&id=" + pid);
        Element pl = all(got, "playlist").get(0);
        assertThat(pl.getAttribute("name")).isEqualTo("Renamed");
        assertThat(pl.getAttribute("songCount")).isEqualTo("299");
        assertThat(all(ok("getPlaylists", STUDENT), "playlist")).extracting(e -> e.getAttribute("name")).contains("Renamed");
        // another user does not see a private playlist
        assertThat(failedCode(get("/rest/getPlaylist?id=" + pid + "&" + ADMIN))).isEqualTo(70);
        ok("deletePlaylist", STUDENT + "&id=" + pid);
        assertThat(failedCode(get("/rest/getPlaylist?id=" + pid + "&" + STUDENT))).isEqualTo(70);
    }

    @Test
    void playQueueRoundTrip() throws Exception {
        String id1 = SubsonicIds.song(one.id());
        String id2 = SubsonicIds.song(two.id());
        ok("savePlayQueue", STUDENT + "&id=" + id1 + "&id=" + id2 + "&current=" + id2 + "&position=12345&c=DSub");
        Element q = all(ok("getPlayQueue", STUDENT), "playQueue").get(0);
        assertThat(q.getAttribute("current")).isEqualTo(id2);
        assertThat(q.getAttribute("position")).isEqualTo("12345");
        assertThat(q.getAttribute("username")).isEqualTo("student");
        assertThat(all(q, "entry")).extracting(e -> e.getAttribute("id")).containsExactly(id1, id2);
        assertThat(failedCode(get("/rest/savePlayQueue?id=" + id1 + "&current=" + id2 + "&" + STUDENT))).isEqualTo(0);
    }

    @Test
    void userInfoMetadataAndEmptyAnswers() throws Exception {
        Element user = all(ok("getUser", STUDENT + "&username=student"), "user").get(0);
        assertThat(user.getAttribute("streamRole")).isEqualTo("true");
        assertThat(user.getAttribute("adminRole")).isEqualTo("false");
        assertThat(all(user, "folder").get(0).getTextContent()).isEqualTo("1");
        assertThat(failedCode(get("/rest/getUser?username=admin&" + STUDENT))).isEqualTo(50);
        // an admin reads any account (roles from it), an unknown one is 70
        Element student = all(ok("getUser", ADMIN + "&username=STUDENT"), "user").get(0);
        assertThat(student.getAttribute("username")).isEqualTo("student");
        assertThat(student.getAttribute("adminRole")).isEqualTo("false");
        assertThat(student.getAttribute("uploadRole")).isEqualTo("false");
        Element self = all(ok("getUser", ADMIN + "&username=admin"), "user").get(0);
        assertThat(self.getAttribute("adminRole")).isEqualTo("true");
        assertThat(self.getAttribute("uploadRole")).isEqualTo("true");
        assertThat(failedCode(get("/rest/getUser?username=nobody&" + ADMIN))).isEqualTo(70);
        assertThat(failedCode(get("/rest/getUser?username=nobody&" + STUDENT))).isEqualTo(50);
        // getUsers: every account, admins only
        List<Element> users = all(ok("getUsers", ADMIN), "user");
        assertThat(users).extracting(e -> e.getAttribute("username")).contains("admin", "student");
        assertThat(users).filteredOn(e -> e.getAttribute("username").equals("admin"))
            .extracting(e -> e.getAttribute("adminRole")).containsExactly("true");
        assertThat(users).filteredOn(e -> e.getAttribute("username").equals("student"))
            .extracting(e -> e.getAttribute("adminRole")).containsExactly("false");
        assertThat(failedCode(get("/rest/getUsers?" + STUDENT))).isEqualTo(50);
        ok("getLicense", STUDENT);
        Element info = ok("getArtistInfo2", STUDENT + "&id=" + SubsonicIds.artist(one.artistId()));
        assertThat(all(info, "biography").get(0).getTextContent()).isEqualTo("A teacher of piano & theory <since 1990>.");
        assertThat(all(info, "largeImageUrl").get(0).getTextContent()).isEqualTo("https://i.discogs.com/teacher.jpg");
        ok("getArtistInfo", STUDENT + "&id=" + SubsonicIds.artist(one.artistId()));
        Element albumInfo = ok("getAlbumInfo2", STUDENT + "&id=" + SubsonicIds.album(one.albumId()));
        assertThat(all(albumInfo, "notes").get(0).getTextContent()).contains("Etudes (2001)", "Label L-1", "Classical");
        ok("getAlbumInfo", STUDENT + "&id=" + SubsonicIds.album(other.albumId()));
        for (String m : List.of("getBookmarks", "getPodcasts", "getNewestPodcasts", "getInternetRadioStations",
            "getNowPlaying", "getTopSongs", "getSimilarSongs", "getSimilarSongs2", "getLyrics")) {
            ok(m, STUDENT + "&id=" + SubsonicIds.song(one.id()) + "&artist=Teacher");
        }
    }

    // ------------------------------------------------------------------------------------------ streams

    @Test
    void coverArtOfAnAlbumOrASongAtASize() throws Exception {
        HttpResponse<byte[]> byAlbum = get("/rest/getCoverArt?id=" + SubsonicIds.album(one.albumId()) + "&size=64&" + STUDENT);
        assertThat(byAlbum.statusCode()).isEqualTo(200);
        assertThat(byAlbum.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        java.awt.image.BufferedImage small = javax.imageio.ImageIO.read(new ByteArrayInputStream(byAlbum.body()));
        assertThat(small.getWidth()).isEqualTo(64);
        HttpResponse<byte[]> bySong = get("/rest/getCoverArt.view?id=" + SubsonicIds.song(two.id()) + "&" + STUDENT);
        assertThat(bySong.statusCode()).isEqualTo(200);
        assertThat(bySong.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        // an album without art, an unknown id, no id: the envelope, never an image
        assertThat(failedCode(get("/rest/getCoverArt?id=" + SubsonicIds.album(other.albumId()) + "&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/getCoverArt?id=nothing&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/getCoverArt?" + STUDENT))).isEqualTo(10);
    }

    @Test
    void streamServesRangesAndHeadAndErrorsAreNeverAudio() throws Exception {
        String q = "/rest/stream?id=" + SubsonicIds.song(one.id()) + "&maxBitRate=128&format=mp3&" + STUDENT;
        HttpResponse<byte[]> whole = get(q);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(server.contents.get(one.key()));
        HttpResponse<byte[]> part = get(q, "Range", "bytes=1000-");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(server.contents.get(one.key()), 1000, 40_000));
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(server.base() + q))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("40000");
        assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        HttpResponse<byte[]> download = get("/rest/download.view?id=" + SubsonicIds.song(two.id()) + "&" + STUDENT);
        assertThat(download.body()).isEqualTo(server.contents.get(two.key()));
        // errors on binary endpoints: the envelope with its content type, never audio
        assertThat(failedCode(get("/rest/stream?id=" + SubsonicIds.song("bm9wZS5tcDM") + "&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/stream?id=" + SubsonicIds.album(one.albumId()) + "&" + STUDENT))).isEqualTo(70);
        assertThat(failedCode(get("/rest/stream?" + STUDENT))).isEqualTo(10);
        assertThat(failedCode(get("/rest/stream?id=" + SubsonicIds.song(one.id()) + "&u=student&p=wrong-pass-1", fresh())))
            .isEqualTo(40);
        HttpResponse<byte[]> json = get("/rest/stream?f=json&id=so-x&" + STUDENT);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(get(q, "Range", "bytes=90000-").statusCode()).isEqualTo(416);
    }
}
