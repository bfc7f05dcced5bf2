package dev.s3music.model.memory;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link DocumentStore} in memory, for the embedded default and tests. Keeps the serialized JSON, so callers may
 * mutate what they passed or got. Every operation holds the store's lock: conditional writes are atomic, as S3's.
 * Versions are the hex MD5 of the serialized body, like the ETag of a single-part S3 PUT, so both adapters agree
 * that writing the same body keeps the version. Keys are ordered by code point, which is S3's UTF-8 byte order.
 */
public final class InMemoryDocumentStore implements DocumentStore {

    private record Stored(String json, String version) {
    }

    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private final TreeMap<String, Stored> docs = new TreeMap<>(CODE_POINT_ORDER);

    @Override
    public synchronized Future<Versioned<JsonObject>> get(String key) {
        Objects.requireNonNull(key, "key");
        Stored s = docs.get(key);
        return Future.succeededFuture(s == null ? null : new Versioned<>(new JsonObject(s.json()), s.version()));
    }

    @Override
    public synchronized Future<String> create(String key, JsonObject document) {
        Objects.requireNonNull(key, "key");
        if (docs.containsKey(key)) {
            return Future.failedFuture(DomainException.conflict(key + " exists already"));
        }
        return write(key, document);
    }

    @Override
    public synchronized Future<String> replace(String key, JsonObject document, String expectedVersion) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Stored s = docs.get(key);
        if (s == null) {
            return Future.failedFuture(DomainException.conflict(key + " is gone"));
        }
        if (!s.version().equals(expectedVersion)) {
            return Future.failedFuture(DomainException.conflict(key + " changed since version " + expectedVersion));
        }
        return write(key, document);
    }

    @Override
    public synchronized Future<Void> put(String key, JsonObject document) {
        Objects.requireNonNull(key, "key");
        return write(key, document).mapEmpty();
    }

    @Override
    public synchronized Future<Void> delete(String key) {
        docs.remove(key);
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<DocumentPage> list(String prefix, String cursor, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            return Future.failedFuture(DomainException.invalid("limit must be 1.." + MAX_LIST_LIMIT + ": " + limit));
        }
        // the cursor is the last key of the previous page: the next page starts after it
        Map<String, Stored> tail = cursor == null ? docs.tailMap(prefix, true) : docs.tailMap(cursor, false);
        List<DocumentPage.Entry> page = new ArrayList<>();
        boolean more = false;
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                if (CODE_POINT_ORDER.compare(e.getKey(), prefix) > 0) {
                    break; // past every key with the prefix
                }
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(new DocumentPage.Entry(e.getKey(), e.getValue().version()));
        }
        return Future.succeededFuture(new DocumentPage(page, more ? page.get(page.size() - 1).key() : null));
    }

    public synchronized int size() {
        return docs.size();
    }

    private Future<String> write(String key, JsonObject document) {
        Objects.requireNonNull(document, "document");
        Buffer body = document.toBuffer();
        if (body.length() > MAX_BYTES) {
            return Future.failedFuture(DomainException.invalid(key + " is over " + MAX_BYTES + " bytes"));
        }
        String json = body.toString(StandardCharsets.UTF_8);
        String version = md5(body.getBytes());
        docs.put(key, new Stored(json, version));
        return Future.succeededFuture(version);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
