package dev.s3music.api.upload;

import dev.s3music.model.DomainException;
import dev.s3music.model.Etags;
import dev.s3music.model.LibraryKeys;
import dev.s3music.model.SongKey;
import dev.s3music.model.UploadPart;
import dev.s3music.model.port.UploadSigner;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a browser upload may be: pure checks that throw {@link DomainException#invalid} with a message for the admin.
 * A key is a valid library key (no {@code .s3music/}, no {@code ..}, at most 1,024 bytes) naming an audio file the
 * library plays or an image (album art), not a folder; a size is 1 byte..{@link #MAX_UPLOAD_BYTES}.
 */
public final class UploadRules {

    /** The largest file accepted: hours of high-resolution FLAC fit; anything larger is a mistake. */
    public static final long MAX_UPLOAD_BYTES = 50L * 1024 * 1024 * 1024;
    /** Parts are at least this big (S3 needs 5 MiB; 8 MiB halves the requests and suits parallel browser PUTs). */
    public static final long PREFERRED_PART_SIZE = 8L * 1024 * 1024;
    /** Part URLs asked for at once. */
    public static final int MAX_PARTS_PER_SIGN = 100;
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "webp");
    private static final Map<String, String> IMAGE_TYPES = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg",
        "png", "image/png", "gif", "image/gif", "webp", "image/webp");
    private static final Pattern CONTENT_TYPE = Pattern.compile("(audio|image|video|application)/[A-Za-z0-9.+-]{1,80}"
        + "(; ?[A-Za-z0-9-]{1,30}=[A-Za-z0-9.\"-]{1,40})?");
    /** S3 upload ids are opaque tokens of URL-safe characters. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._~+=-]{1,1024}");

    private UploadRules() {
    }

    /** The key, when it may be uploaded. */
    public static String key(String key) {
        if (key == null || key.isBlank()) {
            throw DomainException.invalid("key is missing");
        }
        if (key.startsWith(LibraryKeys.RESERVED_PREFIX) || !LibraryKeys.isValid(key) || key.endsWith("/")) {
            throw DomainException.invalid("key is not a library file name (artist/album/file.ext, no '..', nothing"
                + " under " + LibraryKeys.RESERVED_PREFIX + ", at most " + LibraryKeys.MAX_KEY_LENGTH + " bytes)");
        }
        if (SongKey.parse(key).isEmpty() && !IMAGE_EXTENSIONS.contains(extension(key))) {
            throw DomainException.invalid("only audio files the library plays and images may be uploaded: " + extension(key));
        }
        return key;
    }

    /** The content type to store: the client's when it is well formed, else the extension's. */
    public static String contentType(String key, String requested) {
        if (requested != null && !requested.isBlank()) {
            if (!CONTENT_TYPE.matcher(requested).matches()) {
                throw DomainException.invalid("contentType is not a media type: type/subtype");
            }
            return requested;
        }
        String ext = extension(key);
        return SongKey.parse(key).flatMap(k -> dev.s3music.model.AudioFormat.contentType(ext))
            .orElse(IMAGE_TYPES.getOrDefault(ext, "application/octet-stream"));
    }

    public static long size(Long size) {
        if (size == null || size < 1 || size > MAX_UPLOAD_BYTES) {
            throw DomainException.invalid("size must be 1.." + MAX_UPLOAD_BYTES + " bytes");
        }
        return size;
    }

    /** The part size for a file of {@code size}: at least {@link #PREFERRED_PART_SIZE}, whole MiB, ≤ 10,000 parts. */
    public static long partSize(long size) {
        long mib = 1024L * 1024;
        long needed = (size + UploadSigner.MAX_PARTS - 1) / UploadSigner.MAX_PARTS;
        long rounded = (needed + mib - 1) / mib * mib;
        return Math.max(PREFERRED_PART_SIZE, rounded);
    }

    public static int partCount(long size, long partSize) {
        return (int) Math.max(1, (size + partSize - 1) / partSize);
    }

    public static String uploadId(String id) {
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw DomainException.notFound("upload");
        }
        return id;
    }

    public static List<Integer> partNumbers(List<Integer> numbers) {
        if (numbers == null || numbers.isEmpty() || numbers.size() > MAX_PARTS_PER_SIGN) {
            throw DomainException.invalid("partNumbers must hold 1.." + MAX_PARTS_PER_SIGN + " part numbers");
        }
        for (Integer n : numbers) {
            if (n == null || n < 1 || n > UploadSigner.MAX_PARTS) {
                throw DomainException.invalid("a part number is 1.." + UploadSigner.MAX_PARTS);
            }
        }
        return List.copyOf(numbers);
    }

    /** The parts of a completion: 1..10,000, ascending part numbers, each with an ETag. */
    public static List<UploadPart> completion(List<UploadPart> parts) {
        if (parts == null || parts.isEmpty() || parts.size() > UploadSigner.MAX_PARTS) {
            throw DomainException.invalid("parts must hold 1.." + UploadSigner.MAX_PARTS + " parts");
        }
        int previous = 0;
        for (UploadPart p : parts) {
            if (p.partNumber() <= previous || p.partNumber() > UploadSigner.MAX_PARTS) {
                throw DomainException.invalid("parts must be in ascending part number order, each 1.." + UploadSigner.MAX_PARTS);
            }
            if (p.etag() == null || p.etag().isBlank() || !Etags.isHeaderSafe(bare(p.etag()))) {
                throw DomainException.invalid("part " + p.partNumber() + " has no valid etag");
            }
            previous = p.partNumber();
        }
        return List.copyOf(parts);
    }

    /**
     * Checks a completion against the parts S3 holds, before S3 assembles them (S3 itself refuses small parts; an
     * S3-compatible store may not): each part is there with that ETag, every part but the last is at least 5 MiB,
     * and the whole is at most {@link #MAX_UPLOAD_BYTES}.
     */
    public static void matches(List<UploadPart> requested, List<UploadPart> held) {
        Map<Integer, UploadPart> byNumber = new java.util.HashMap<>();
        held.forEach(p -> byNumber.put(p.partNumber(), p));
        long total = 0;
        for (int i = 0; i < requested.size(); i++) {
            UploadPart want = requested.get(i);
            UploadPart have = byNumber.get(want.partNumber());
            if (have == null || !bare(want.etag()).equals(bare(have.etag()))) {
                throw DomainException.invalid("part " + want.partNumber() + " was not uploaded with that etag");
            }
            if (i < requested.size() - 1 && have.size() >= 0 && have.size() < UploadSigner.MIN_PART_SIZE) {
                throw DomainException.invalid("part " + want.partNumber() + " is " + have.size()
                    + " bytes: every part but the last must be at least " + UploadSigner.MIN_PART_SIZE);
            }
            total += Math.max(0, have.size());
        }
        if (total > MAX_UPLOAD_BYTES) {
            throw DomainException.invalid("the upload is over " + MAX_UPLOAD_BYTES + " bytes");
        }
    }

    static String bare(String etag) {
        String e = etag.strip();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static String extension(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
