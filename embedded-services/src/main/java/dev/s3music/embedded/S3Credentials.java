package dev.s3music.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded S3's access key pair. Generated at random per installation ({@link #loadOrCreate}), never a
 * well-known pair: with a known pair, anything that can reach the endpoint (a web page in the user's browser
 * included) could sign requests.
 *
 * @param accessKey  20 upper-case letters and digits, like AWS's
 * @param secretKey  40 characters of base64 alphabet (240 random bits)
 */
public record S3Credentials(String accessKey, String secretKey) {

    static final String ACCESS_KEY = "access-key";
    static final String SECRET_KEY = "secret-key";
    private static final String ACCESS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    public S3Credentials {
        if (accessKey == null || !accessKey.matches("^[A-Za-z0-9]{16,128}$")) {
            throw new IllegalArgumentException("access key: 16 to 128 letters and digits");
        }
        if (secretKey == null || !secretKey.matches("^[A-Za-z0-9+/]{30,128}$")) {
            throw new IllegalArgumentException("secret key: 30 to 128 characters of [A-Za-z0-9+/]");
        }
    }

    /** A fresh random pair: "S3M" and 17 characters for the access key, 40 for the secret. */
    public static S3Credentials random() {
        return new S3Credentials("S3M" + randomText(ACCESS_ALPHABET, 17), randomText(SECRET_ALPHABET, 40));
    }

    /**
     * The pair stored in {@code file}, or a new random one written there first (owner read/write only, 0600, in a
     * folder of the owner's only, 0700, when created here; an existing file is narrowed to 0600). Concurrent first starts agree on one pair: the file is
     * written under a temporary name and linked into place only if absent, then read back.
     *
     * @throws IOException when the file cannot be read or written, or holds no valid pair (the message names the
     *                     file, never the keys)
     */
    public static S3Credentials loadOrCreate(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            create(absolute);
        }
        if (absolute.getFileSystem().supportedFileAttributeViews().contains("posix")
            && !Files.getPosixFilePermissions(absolute).equals(OWNER_ONLY)) {
            // copied or restored with looser rights: the keys are the only lock on the music folder
            Files.setPosixFilePermissions(absolute, OWNER_ONLY);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return new S3Credentials(p.getProperty(ACCESS_KEY), p.getProperty(SECRET_KEY));
        } catch (IllegalArgumentException e) {
            throw new IOException(absolute + " holds no valid " + ACCESS_KEY + "/" + SECRET_KEY + " pair ("
                + e.getMessage() + "); delete it to get a new pair", e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE)));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = posix ? Files.createTempFile(dir, ".s3-credentials-", ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createTempFile(dir, ".s3-credentials-", ".tmp");
        try {
            S3Credentials c = random();
            Properties p = new Properties();
            p.setProperty(ACCESS_KEY, c.accessKey());
            p.setProperty(SECRET_KEY, c.secretKey());
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "The embedded S3's credentials of this installation (generated at first start). "
                    + "Keep private; delete to get a new pair.");
            }
            try {
                // a hard link fails if the name exists: the first writer wins, the others read its pair
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException lost) {
                // another process created it meanwhile
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String randomText(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Never the secret: records print their fields, and this one ends up in exceptions and logs. */
    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + accessKey + ", secretKey=***]";
    }
}
