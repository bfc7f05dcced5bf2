package dev.s3music.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo library that ships inside the launcher (made by {@code launcher/make-demo-library.sh}): copied into
 * a music folder that does not exist or is empty, so the first start has something to play. A folder with
 * anything in it is never touched.
 */
final class DemoLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(DemoLibrary.class);
    /** Classpath folder holding {@code artist/album/NN - title.ext}. */
    static final String RESOURCE = "/demo-library";
    /** Bounds the copy: the demo library has a handful of files. */
    private static final int MAX_FILES = 200;

    private DemoLibrary() {
    }

    /** Copies the demo library into {@code musicDir} when it is missing or empty; returns the files copied. */
    static int installIfEmpty(Path musicDir) {
        try {
            if (Files.isDirectory(musicDir)) {
                try (Stream<Path> entries = Files.list(musicDir)) {
                    if (entries.findAny().isPresent()) {
                        return 0;
                    }
                }
            } else if (Files.exists(musicDir)) {
                throw new ConfigException("MUSIC_DIR", "'" + musicDir + "' exists but is not a folder");
            }
            Files.createDirectories(musicDir);
            int n = copyInto(musicDir);
            LOG.info("MUSIC_DIR {} was empty: copied the demo library ({} songs) into it to have something to play",
                musicDir, n);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare MUSIC_DIR " + musicDir, e);
        }
    }

    /** Copies every file of the demo library under {@code target}, keeping its relative paths. */
    static int copyInto(Path target) throws IOException {
        URL url = DemoLibrary.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("the demo library is missing from the classpath (" + RESOURCE + ")");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if ("jar".equals(uri.getScheme())) {
            FileSystem fs;
            boolean opened = false;
            try {
                fs = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            try {
                return copyTree(fs.getPath(RESOURCE), target);
            } finally {
                if (opened) {
                    fs.close();
                }
            }
        }
        return copyTree(Path.of(uri), target);
    }

    private static int copyTree(Path source, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).limit(MAX_FILES).toList();
        }
        for (Path f : files) {
            // relativize on the source file system, then rebuild the path segment by segment on the target's
            Path rel = source.relativize(f);
            Path dest = target;
            for (Path segment : rel) {
                dest = dest.resolve(segment.toString());
            }
            Files.createDirectories(dest.getParent());
            Files.copy(f, dest);
        }
        return files.size();
    }
}
