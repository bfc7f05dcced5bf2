package dev.s3music.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A song of the catalog: one audio object in S3 with what the catalog knows of it.
 *
 * @param id           the song id ({@link Ids#song(String)} of {@code key})
 * @param key          the exact S3 key
 * @param artistId     id of the artist folder
 * @param artistName   the artist folder name, or "Unknown artist"
 * @param albumId      id of the album folder
 * @param albumName    the album folder name, or "Unknown album"
 * @param title        presentation title (from tags when present, else from the file name)
 * @param track        track number, or null
 * @param disc         disc number, or null
 * @param subFolder    folders between album and file ("CD1"), or null
 * @param format       lower-case extension
 * @param size         object size in bytes
 * @param etag         the S3 ETag without quotes, or null when the store sent none
 * @param lastModified last-modified time of the object
 * @param tags         what the file's own tags say, or null when not read yet
 * @param addedAt      when the catalog first indexed the key (kept across re-indexing and rescans; a removal then
 *                     re-add is a new time), or null before a catalog has taken the song. On an upsert the catalog
 *                     keeps the time it holds, else takes this one, else its clock's now.
 *                     {@link #equals}/{@link #hashCode} leave it out: it is the catalog's bookkeeping, not what
 *                     the song is, so re-indexing an unchanged object is no change.
 */
public record Song(String id, String key, String artistId, String artistName, String albumId, String albumName,
                   String title, Integer track, Integer disc, String subFolder, String format, long size,
                   String etag, Instant lastModified, SongTags tags, Instant addedAt) {

    public Song {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /** A song no catalog has taken yet ({@code addedAt} null). */
    public Song(String id, String key, String artistId, String artistName, String albumId, String albumName,
                String title, Integer track, Integer disc, String subFolder, String format, long size,
                String etag, Instant lastModified, SongTags tags) {
        this(id, key, artistId, artistName, albumId, albumName, title, track, disc, subFolder, format, size, etag,
            lastModified, tags, null);
    }

    public Song withAddedAt(Instant at) {
        return new Song(id, key, artistId, artistName, albumId, albumName, title, track, disc, subFolder, format,
            size, etag, lastModified, tags, at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Song s && size == s.size && id.equals(s.id) && key.equals(s.key)
            && Objects.equals(artistId, s.artistId) && Objects.equals(artistName, s.artistName)
            && Objects.equals(albumId, s.albumId) && Objects.equals(albumName, s.albumName)
            && Objects.equals(title, s.title) && Objects.equals(track, s.track) && Objects.equals(disc, s.disc)
            && Objects.equals(subFolder, s.subFolder) && Objects.equals(format, s.format)
            && Objects.equals(etag, s.etag) && lastModified.equals(s.lastModified) && Objects.equals(tags, s.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, key, artistId, artistName, albumId, albumName, title, track, disc, subFolder, format,
            size, etag, lastModified, tags);
    }

    /** A song as its key and object metadata describe it, before any tag is read. */
    public static Song of(SongKey k, long size, String etag, Instant lastModified) {
        return new Song(k.songId(), k.key(), k.artistId(), k.artistName(), k.albumId(), k.albumName(), k.title(),
            k.track(), k.disc(), k.subFolderPath(), k.format(), size, etag, lastModified, null);
    }

    public Song withTags(SongTags t) {
        String newTitle = t != null && t.title() != null && !t.title().isBlank() ? t.title() : title;
        Integer newTrack = t != null && t.track() != null ? t.track() : track;
        Integer newDisc = t != null && t.disc() != null ? t.disc() : disc;
        return new Song(id, key, artistId, artistName, albumId, albumName, newTitle, newTrack, newDisc, subFolder,
            format, size, etag, lastModified, t, addedAt);
    }

    /**
     * The validator sent as the HTTP ETag: the S3 ETag when the store has one, else one made of size and
     * last-modified (S3Proxy's filesystem store sends none for files put there by hand).
     */
    public String httpEtag() {
        String tag = etag != null && !etag.isEmpty() ? etag : Long.toHexString(size) + "-" + Long.toHexString(lastModified.toEpochMilli());
        return "\"" + tag + "\"";
    }
}
