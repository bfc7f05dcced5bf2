package dev.s3music.indexer.tags;

import dev.s3music.model.SongTags;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opus tags, hand-read because jaudiotagger 3.0.1 has no Opus reader ("No Reader associated with this
 * extension: opus"). An Ogg Opus stream starts with two packets, OpusHead (pre-skip) and OpusTags (Vorbis-comment
 * layout, RFC 7845 section 5.2); the granule position of the last page gives the duration (48 kHz clock).
 * Packets are reassembled from page segments, so tags spanning pages are read too.
 */
final class OpusTags {

    private OpusTags() {
    }

    /** @param head the first bytes of the file; @param tail its last bytes (for the last page), may be empty */
    static SongTags parse(byte[] head, byte[] tail) {
        List<byte[]> packets = packets(head, 2);
        if (packets.size() < 2 || !startsWith(packets.get(0), "OpusHead") || !startsWith(packets.get(1), "OpusTags")) {
            throw new IllegalArgumentException("not an Ogg Opus stream");
        }
        int preSkip = ByteBuffer.wrap(packets.get(0)).order(ByteOrder.LITTLE_ENDIAN).getShort(10) & 0xffff;
        ByteBuffer b = ByteBuffer.wrap(packets.get(1)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        int vendor = b.getInt();
        b.position(b.position() + vendor);
        int count = b.getInt();
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < count && b.remaining() >= 4; i++) {
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                break;
            }
            String c = new String(packets.get(1), b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
            int eq = c.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(c.substring(0, eq).toUpperCase(Locale.ROOT), c.substring(eq + 1).strip());
            }
        }
        Integer duration = null;
        long granule = lastGranule(tail.length > 0 ? tail : head);
        if (granule > preSkip) {
            duration = (int) Math.round((granule - preSkip) / 48000.0);
        }
        return new SongTags(blank(fields.get("TITLE")), blank(fields.get("ARTIST")), blank(fields.get("ALBUM")),
            number(fields.get("TRACKNUMBER")), number(fields.get("DISCNUMBER")), year(fields.get("DATE")),
            blank(fields.get("GENRE")), duration, fields.containsKey("METADATA_BLOCK_PICTURE"));
    }

    /** The first {@code max} packets of the stream in {@code data}. */
    private static List<byte[]> packets(byte[] data, int max) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int pos = 0;
        while (pos + 27 <= data.length && out.size() < max && startsWithAt(data, pos, "OggS")) {
            int segments = data[pos + 26] & 0xff;
            int body = pos + 27 + segments;
            for (int s = 0; s < segments && out.size() < max; s++) {
                int len = data[pos + 27 + s] & 0xff;
                if (body + len > data.length) {
                    return out;
                }
                current.write(data, body, len);
                body += len;
                if (len < 255) {
                    out.add(current.toByteArray());
                    current.reset();
                }
            }
            int total = 0;
            for (int s = 0; s < segments; s++) {
                total += data[pos + 27 + s] & 0xff;
            }
            pos = pos + 27 + segments + total;
        }
        return out;
    }

    private static long lastGranule(byte[] data) {
        for (int i = data.length - 27; i >= 0; i--) {
            if (startsWithAt(data, i, "OggS")) {
                return ByteBuffer.wrap(data, i + 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] p, String s) {
        return startsWithAt(p, 0, s);
    }

    private static boolean startsWithAt(byte[] p, int at, String s) {
        if (at + s.length() > p.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (p[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Integer number(String s) {
        if (s == null) {
            return null;
        }
        int slash = s.indexOf('/');
        try {
            int n = Integer.parseInt((slash >= 0 ? s.substring(0, slash) : s).strip());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer year(String s) {
        return s == null || s.length() < 4 ? null : number(s.substring(0, 4));
    }
}
