package dev.s3music.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The player's files, read once from the classpath ({@code dev/s3music/web/}), each kept as it is and gzipped, under
 * a versioned path {@code /assets/<version>/<name>} where the version is a digest of every asset: the ES modules
 * import each other by relative names, so one digest over all of them gives every file a name that changes with
 * any change (long-cached, immutable) without rewriting imports. {@code index.html} names that folder and is the
 * only file browsers revalidate.
 *
 * <p>Hand-written rather than vertx-web's {@code StaticHandler}: the API server has compression off (audio must keep
 * its Content-Length and ranges), StaticHandler serves no precompressed variants and knows no content-hashed folder;
 * a few dozen KB held in memory once per process is the whole cost.
 */
final class WebAssets {

    /** The files under {@code assets/}; {@code WebAssetsTest} checks that it names every file there. */
    static final List<String> FILES = List.of(
        "app.css", "icon.svg",
        "app.js", "dom.js", "api.js", "player.js", "queue.js", "library.js", "admin.js", "upload.js", "vlist.js");

    private static final String ROOT = "dev/s3music/web/";
    /** In index.html: replaced by the assets' folder, {@code /assets/<version>}. */
    private static final String PLACEHOLDER = "%ASSETS%";

    /** One file as served: identity and gzip bodies, type and entity tag. */
    record Asset(byte[] body, byte[] gzip, String contentType, String etag) {
    }

    private final String version;
    private final Map<String, Asset> byPath;
    private final Asset index;

    private WebAssets(String version, Map<String, Asset> byPath, Asset index) {
        this.version = version;
        this.byPath = byPath;
        this.index = index;
    }

    static WebAssets load() {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        MessageDigest all = sha256();
        for (String name : FILES) {
            byte[] bytes = read(ROOT + "assets/" + name);
            raw.put(name, bytes);
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(bytes);
        }
        String version = HexFormat.of().formatHex(all.digest()).substring(0, 16);
        Map<String, Asset> byPath = new LinkedHashMap<>();
        raw.forEach((name, bytes) -> byPath.put("/assets/" + version + "/" + name, asset(bytes, typeOf(name))));
        String html = new String(read(ROOT + "index.html"), StandardCharsets.UTF_8)
            .replace(PLACEHOLDER, "/assets/" + version);
        return new WebAssets(version, Map.copyOf(byPath), asset(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
    }

    String version() {
        return version;
    }

    Optional<Asset> asset(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    Asset index() {
        return index;
    }

    /** Every versioned path with its asset (the first-load size in tests). */
    Map<String, Asset> all() {
        return byPath;
    }

    static String typeOf(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException("no content type for " + name);
    }

    private static Asset asset(byte[] body, String type) {
        String etag = "\"" + HexFormat.of().formatHex(sha256().digest(body)).substring(0, 32) + "\"";
        return new Asset(body, gzip(body), type, etag);
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing web player resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
