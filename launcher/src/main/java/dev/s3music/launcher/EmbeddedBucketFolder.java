package dev.s3music.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes any music folder a bucket of the embedded S3, whatever its name.
 *
 * <p>S3Proxy's {@code filesystem-nio2} store serves bucket {@code b} from the folder {@code <baseDir>/b}. The music
 * folder can be named anything ({@code ~/My Music}), so the base dir is a private temporary folder holding one
 * symbolic link, {@code music -> MUSIC_DIR}. S3Proxy follows it for listing, GET and PUT (checked with S3Proxy
 * 4.1.0), so uploads through the S3 API land in the music folder. Using the parent folder as base dir instead
 * would expose every sibling folder as a bucket.
 *
 * <p>{@link #close()} deletes only the link and the temporary folder, never what the link points to.
 */
final class EmbeddedBucketFolder implements AutoCloseable {

    private final Path baseDir;
    private final Path link;

    private EmbeddedBucketFolder(Path baseDir, Path link) {
        this.baseDir = baseDir;
        this.link = link;
    }

    static EmbeddedBucketFolder create(Path musicDir, String bucket) {
        try {
            Path base = Files.createTempDirectory("s3music-embedded-s3-");
            Path link = base.resolve(bucket);
            try {
                Files.createSymbolicLink(link, musicDir.toRealPath());
            } catch (IOException | UnsupportedOperationException e) {
                Files.deleteIfExists(base);
                throw new IllegalStateException("cannot link " + link + " to MUSIC_DIR " + musicDir
                    + " (the embedded S3 needs symbolic links): " + e, e);
            }
            return new EmbeddedBucketFolder(base, link);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded S3 folder for MUSIC_DIR " + musicDir, e);
        }
    }

    /** The folder to give S3Proxy as {@code jclouds.filesystem.basedir}. */
    Path baseDir() {
        return baseDir;
    }

    @Override
    public void close() {
        try {
            // Files.delete on a symbolic link removes the link itself, never its target
            if (Files.isSymbolicLink(link)) {
                Files.delete(link);
            }
            Files.deleteIfExists(baseDir);
        } catch (IOException e) {
            // a leftover empty temp folder is harmless; the music is never touched
        }
    }
}
