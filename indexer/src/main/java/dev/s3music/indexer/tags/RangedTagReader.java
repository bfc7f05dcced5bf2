package dev.s3music.indexer.tags;

import dev.s3music.indexer.core.TagSource;
import dev.s3music.model.SongTags;
import dev.s3music.model.port.EmbeddedPictures;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.AudioHeader;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.images.Artwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;

/**
 * Reads tags with jaudiotagger while fetching only the byte ranges that hold them, never the whole object.
 *
 * <p>jaudiotagger reads files, not streams, and seeks around in them. So the fetched ranges are written at their
 * offsets into a sparse temporary file of the object's full size (holes read as zeros and cost no disk), which
 * jaudiotagger then parses on a named worker pool ({@code executeBlocking}: bounded CPU and local I/O).
 * What is fetched, by format:
 * <ul>
 *   <li>mp3: the head (the ID3v2 tag, whose size its header gives, plus the first frames for the duration) and
 *       the last 128 bytes (ID3v1);</li>
 *   <li>flac: the metadata blocks, walked by their headers (STREAMINFO, VORBIS_COMMENT, PICTURE);</li>
 *   <li>m4a/mp4: the top-level atoms walked by their headers; {@code moov} (often at the end) fetched whole,
 *       {@code mdat} skipped;</li>
 *   <li>wav/aiff: the RIFF/FORM chunks walked by their headers, audio data skipped;</li>
 *   <li>ogg/opus and others: the head and the tail (the last page gives the duration); Opus comments are read
 *       by {@link OpusTags} (jaudiotagger 3.0.1 has no Opus reader).</li>
 * </ul>
 * At most {@link #MAX_BYTES} per object are fetched whatever the file says.
 */
public final class RangedTagReader implements TagSource, EmbeddedPictures {

    private static final Logger LOG = LoggerFactory.getLogger(RangedTagReader.class);

    /** The first read of every file: holds most tags whole (ID3v2 without art, Vorbis comments, a fast-start moov). */
    static final int HEAD = 64 * 1024;
    static final int TAIL = 64 * 1024;
    /** Never more than this per object (a huge embedded picture is cut short; presence is still seen). */
    public static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final int MAX_ATOMS = 64;

    static {
        java.util.logging.Logger.getLogger("org.jaudiotagger").setLevel(Level.OFF);
    }

    private final ObjectStore store;
    private final WorkerExecutor worker;
    private final Path tempDir;

    /**
     * @param store   the bucket (ranged reads through {@link ObjectStore#read})
     * @param worker  a named worker pool for parsing ({@code vertx.createSharedWorkerExecutor("indexer-tags", n)})
     * @param tempDir where the sparse files live while parsed (deleted at once)
     */
    public RangedTagReader(ObjectStore store, WorkerExecutor worker, Path tempDir) {
        this.store = Objects.requireNonNull(store, "store");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
    }

    @Override
    public Future<SongTags> read(String key, String format, long size) {
        if (size <= 0) {
            return Future.succeededFuture(null);
        }
        RangeCache cache = new RangeCache(store, key, size, MAX_BYTES);
        String fmt = format.toLowerCase(Locale.ROOT);
        return fetch(cache, fmt).compose(v -> worker.executeBlocking(() -> parse(key, fmt, cache), false))
            .recover(e -> {
                if (e instanceof dev.s3music.model.DomainException) {
                    return Future.failedFuture(e); // not found / transient: the caller decides
                }
                LOG.info("tags of {} not read: {}", key, e.toString());
                return Future.succeededFuture(null);
            });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same ranged reads as the tags (at most {@link #MAX_BYTES}): a picture cut short by that bound fails to
     * decode later and is treated as none. Opus pictures (base64 in a comment) are not read.
     */
    @Override
    public Future<Buffer> picture(String key, String format, long size) {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (size <= 0 || fmt.equals("opus")) {
            return Future.succeededFuture(null);
        }
        RangeCache cache = new RangeCache(store, key, size, MAX_BYTES);
        return fetch(cache, fmt).compose(v -> worker.executeBlocking(() -> {
                Path file = sparseFile(fmt, cache);
                try {
                    Tag tag = AudioFileIO.readAs(file.toFile(), fmt).getTag();
                    return tag == null ? null : firstPicture(tag);
                } finally {
                    Files.deleteIfExists(file);
                }
            }, false))
            .recover(e -> {
                if (e instanceof dev.s3music.model.DomainException) {
                    return Future.failedFuture(e);
                }
                LOG.info("picture of {} not read: {}", key, e.toString());
                return Future.succeededFuture(null);
            });
    }

    /** The front cover when marked so (ID3/FLAC picture type 3), else the first picture; null when none. */
    private static Buffer firstPicture(Tag tag) {
        java.util.List<Artwork> all;
        try {
            all = tag.getArtworkList();
        } catch (RuntimeException e) {
            return null;
        }
        Artwork chosen = all.stream().filter(a -> a.getPictureType() == 3).findFirst()
            .orElse(all.isEmpty() ? null : all.get(0));
        byte[] data = chosen == null ? null : chosen.getBinaryData();
        return data == null || data.length == 0 ? null : Buffer.buffer(data);
    }

    /** The ranges that hold the tags of a file of this format. */
    private Future<Void> fetch(RangeCache cache, String fmt) {
        return switch (fmt) {
            case "mp3" -> mp3(cache);
            case "flac" -> flac(cache);
            case "m4a", "m4b", "mp4", "aac" -> atoms(cache);
            case "wav" -> chunks(cache, 12, false);
            case "aif", "aiff", "aifc" -> chunks(cache, 12, true);
            default -> headAndTail(cache);
        };
    }

    /** The fetched parts at their offsets in a sparse temporary file of the object's size (the caller deletes it). */
    private Path sparseFile(String format, RangeCache cache) throws java.io.IOException {
        Path file = Files.createTempFile(tempDir, "tags-", "." + format);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(cache.size());
            for (RangeCache.Part p : cache.parts()) {
                raf.seek(p.offset());
                raf.write(p.data().getBytes());
            }
        } catch (java.io.IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    private Future<Void> headAndTail(RangeCache c) {
        return c.get(0, HEAD, HEAD).compose(h -> c.size() > HEAD ? c.get(Math.max(HEAD, c.size() - TAIL), TAIL, 0) : Future.succeededFuture())
            .mapEmpty();
    }

    private Future<Void> mp3(RangeCache c) {
        return c.get(0, HEAD, HEAD).compose(h -> {
            long tagEnd = 0;
            if (h.length() >= 10 && h.getString(0, 3, "ISO-8859-1").equals("ID3")) {
                long syncsafe = ((h.getByte(6) & 0x7f) << 21) | ((h.getByte(7) & 0x7f) << 14)
                    | ((h.getByte(8) & 0x7f) << 7) | (h.getByte(9) & 0x7f);
                boolean footer = (h.getByte(5) & 0x10) != 0;
                tagEnd = 10 + syncsafe + (footer ? 10 : 0);
            }
            // the tag, then enough of the audio for the first frame and its Xing/VBRI header
            Future<Buffer> rest = tagEnd + 16 * 1024 > HEAD ? c.get(HEAD, tagEnd + 16 * 1024 - HEAD, 0) : Future.succeededFuture();
            return rest.compose(x -> c.size() > HEAD ? c.get(c.size() - 128, 128, 0) : Future.succeededFuture());
        }).mapEmpty();
    }

    private Future<Void> flac(RangeCache c) {
        return c.get(0, HEAD, HEAD).compose(h -> flacBlock(c, 4, 0)).mapEmpty();
    }

    /** Walks FLAC metadata block headers (1 byte last-flag+type, 3 bytes length) until the last one. */
    private Future<Void> flacBlock(RangeCache c, long offset, int n) {
        if (n > MAX_ATOMS || offset + 4 > c.size()) {
            return Future.succeededFuture();
        }
        return c.get(offset, 4, HEAD).compose(hdr -> {
            if (hdr.length() < 4) {
                return Future.succeededFuture();
            }
            boolean last = (hdr.getByte(0) & 0x80) != 0;
            long len = ((hdr.getByte(1) & 0xffL) << 16) | ((hdr.getByte(2) & 0xffL) << 8) | (hdr.getByte(3) & 0xffL);
            return c.get(offset + 4, len, 0).compose(body -> last ? Future.succeededFuture() : flacBlock(c, offset + 4 + len, n + 1));
        });
    }

    /** Walks top-level MP4 atoms: 4-byte size (1: 64-bit size follows, 0: to the end) and 4-byte type. */
    private Future<Void> atoms(RangeCache c) {
        return c.get(0, HEAD, HEAD).compose(h -> atom(c, 0, 0));
    }

    private Future<Void> atom(RangeCache c, long offset, int n) {
        if (n > MAX_ATOMS || offset + 8 > c.size()) {
            return Future.succeededFuture();
        }
        return c.get(offset, 16, 16).compose(hdr -> {
            if (hdr.length() < 8) {
                return Future.succeededFuture();
            }
            long size = hdr.getUnsignedInt(0);
            String type = hdr.getString(4, 8, "ISO-8859-1");
            if (size == 1 && hdr.length() >= 16) {
                size = hdr.getLong(8);
            } else if (size == 0) {
                size = c.size() - offset;
            }
            if (size < 8) {
                return Future.succeededFuture(); // not an atom: stop walking
            }
            long next = offset + size;
            Future<?> body = type.equals("mdat") || type.equals("free") || type.equals("skip")
                ? Future.succeededFuture() : c.get(offset, size, 0);
            return body.compose(b -> atom(c, next, n + 1));
        });
    }

    /** Walks RIFF (little-endian) or AIFF FORM (big-endian) chunks: 4-byte id, 4-byte size, padded to even. */
    private Future<Void> chunks(RangeCache c, long first, boolean bigEndian) {
        return c.get(0, HEAD, HEAD).compose(h -> chunk(c, first, bigEndian, 0));
    }

    private Future<Void> chunk(RangeCache c, long offset, boolean bigEndian, int n) {
        if (n > MAX_ATOMS || offset + 8 > c.size()) {
            return Future.succeededFuture();
        }
        return c.get(offset, 8, 16).compose(hdr -> {
            if (hdr.length() < 8) {
                return Future.succeededFuture();
            }
            String id = hdr.getString(0, 4, "ISO-8859-1");
            long len = bigEndian ? hdr.getUnsignedInt(4) : hdr.getUnsignedIntLE(4);
            long next = offset + 8 + len + (len & 1);
            boolean audio = id.equals("data") || id.equals("SSND");
            // jaudiotagger reads a few bytes into the audio chunk; the rest is skipped
            Future<?> body = c.get(offset + 8, audio ? Math.min(len, 16) : len, 0);
            return body.compose(b -> chunk(c, next, bigEndian, n + 1));
        });
    }

    /** On the worker pool: the fetched parts into a sparse file, parsed by jaudiotagger. */
    private SongTags parse(String key, String format, RangeCache cache) throws Exception {
        if (format.equals("opus")) {
            List<RangeCache.Part> parts = cache.parts();
            byte[] head = parts.get(0).data().getBytes();
            RangeCache.Part last = parts.get(parts.size() - 1);
            return OpusTags.parse(head, parts.size() > 1 && last.offset() > 0 ? last.data().getBytes() : new byte[0]);
        }
        Path file = sparseFile(format, cache);
        try {
            AudioFile af = AudioFileIO.readAs(file.toFile(), format);
            Tag tag = af.getTag();
            AudioHeader header = af.getAudioHeader();
            Integer duration = null;
            if (header != null) {
                double precise = header.getPreciseTrackLength();
                duration = precise > 0 ? (int) Math.round(precise) : header.getTrackLength() > 0 ? header.getTrackLength() : null;
            }
            if (tag == null) {
                return new SongTags(null, null, null, null, null, null, null, duration, false);
            }
            return new SongTags(text(tag, FieldKey.TITLE), text(tag, FieldKey.ARTIST), text(tag, FieldKey.ALBUM),
                number(tag, FieldKey.TRACK), number(tag, FieldKey.DISC_NO), year(tag), text(tag, FieldKey.GENRE),
                duration, hasArt(tag));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean hasArt(Tag tag) {
        try {
            return !tag.getArtworkList().isEmpty();
        } catch (RuntimeException e) {
            return tag.hasField(FieldKey.COVER_ART);
        }
    }

    private static String text(Tag tag, FieldKey k) {
        try {
            String v = tag.getFirst(k);
            if (v == null) {
                return null;
            }
            v = v.replace("\u0000", "").strip();
            return v.isEmpty() ? null : v;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "7", "07", "7/12" -> 7 */
    private static Integer number(Tag tag, FieldKey k) {
        String v = text(tag, k);
        if (v == null) {
            return null;
        }
        int slash = v.indexOf('/');
        String n = (slash >= 0 ? v.substring(0, slash) : v).strip();
        try {
            int i = Integer.parseInt(n);
            return i > 0 ? i : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "1999", "1999-05-04" -> 1999 */
    private static Integer year(Tag tag) {
        String v = text(tag, FieldKey.YEAR);
        if (v == null || v.length() < 4) {
            return null;
        }
        try {
            int y = Integer.parseInt(v.substring(0, 4));
            return y > 0 ? y : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
