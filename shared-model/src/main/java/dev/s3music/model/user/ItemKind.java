package dev.s3music.model.user;

import java.util.Locale;

/** What a favourite or a rating is about. Ids are only unique within one kind (a song id may equal an artist id). */
public enum ItemKind {
    SONG, ALBUM, ARTIST;

    /** The plural used in paths and JSON: {@code songs}, {@code albums}, {@code artists}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT) + "s";
    }

    /** The kind of a {@link #wire()} name, or null. */
    public static ItemKind ofWire(String wire) {
        for (ItemKind k : values()) {
            if (k.wire().equals(wire)) {
                return k;
            }
        }
        return null;
    }
}
