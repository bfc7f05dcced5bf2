package dev.s3music.model.user;

/** What a favourite or a rating is about. Ids are only unique within one kind (a song id may equal an artist id). */
public enum ItemKind {
    SONG, ALBUM, ARTIST
}
