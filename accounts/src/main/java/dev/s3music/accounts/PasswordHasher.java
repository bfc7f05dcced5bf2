package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id through Bouncy Castle's pure-Java {@link Argon2BytesGenerator}, encoded as the PHC string
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64, as the reference implementation writes).
 *
 * <p>Threads: hashing is CPU and memory bound with no async API, so it runs on a named worker pool
 * ({@code argon2}, sized by the caller to about the cores), never an event loop. Bound: at most
 * {@code maxPending} hashes are queued or running; beyond that a call fails at once with {@code RATE_LIMITED}
 * (retry after 1 s) instead of queueing without end, so a flood of sign-ins costs neither unbounded memory (each
 * running hash holds {@code m} KiB) nor unbounded latency.
 *
 * <p>Passwords are NFC-normalized before hashing, so the same password typed on two keyboards that compose
 * accents differently still matches.
 */
final class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final WorkerExecutor pool;
    private final Argon2Params params;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final String dummy;
    private final Argon2BytesGenerator.BlockPool blocks;

    /**
     * @param threads the size of {@code pool}: the block pool keeps that many hashes' memory for reuse, so a
     *                steady stream of sign-ins does not allocate (and collect) 19 MiB per hash
     */
    PasswordHasher(WorkerExecutor pool, int threads, Argon2Params params, int maxPending) {
        this.pool = pool;
        this.blocks = new Argon2BytesGenerator.FixedBlockPool(params.memoryKiB() * threads);
        this.params = params;
        this.maxPending = maxPending;
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        this.dummy = encode(params, salt, hash);
    }

    Argon2Params params() {
        return params;
    }

    /**
     * A hash that no password matches, at the current parameters: verifying an unknown user's password against it
     * costs the same work as against a real hash.
     */
    String dummy() {
        return dummy;
    }

    /** Hashes on the pool; {@code RATE_LIMITED} when too many hashes are pending. */
    Future<String> hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return bounded(() -> encode(params, salt, compute(password, params, salt, HASH_BYTES, blocks)));
    }

    /** Checks on the pool; false for a hash this class cannot read. */
    Future<Boolean> verify(String encoded, String password) {
        return bounded(() -> matches(encoded, password, blocks));
    }

    /** Hashes and checks started so far (a test seam: an unknown user costs one too). */
    long started() {
        return started.get();
    }

    /** Whether a stored hash was made with weaker parameters than the configured ones. */
    boolean needsRehash(String encoded) {
        Argon2Params p = paramsOf(encoded);
        return p == null || p.weakerThan(params);
    }

    private <T> Future<T> bounded(java.util.concurrent.Callable<T> work) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return Future.failedFuture(DomainException.rateLimited("too many sign-ins at once", 1));
        }
        started.incrementAndGet();
        return pool.executeBlocking(work, false).andThen(r -> pending.decrementAndGet());
    }

    // ---- blocking helpers, also used by tests ----

    static boolean matches(String encoded, String password) {
        return matches(encoded, password, null);
    }

    private static boolean matches(String encoded, String password, Argon2BytesGenerator.BlockPool blocks) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$");
        Argon2Params p = paramsOf(encoded);
        if (p == null || parts.length != 6) {
            return false;
        }
        try {
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            return MessageDigest.isEqual(expected, compute(password, p, salt, expected.length, blocks));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The parameters of a PHC string, or null when it is not an Argon2id v19 hash. */
    static Argon2Params paramsOf(String encoded) {
        if (encoded == null || !encoded.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 6) {
            return null;
        }
        int m = -1;
        int t = -1;
        int par = -1;
        for (String kv : parts[3].split(",")) {
            String[] x = kv.split("=", 2);
            if (x.length != 2) {
                return null;
            }
            try {
                int v = Integer.parseInt(x[1]);
                switch (x[0]) {
                    case "m" -> m = v;
                    case "t" -> t = v;
                    case "p" -> par = v;
                    default -> {
                        return null;
                    }
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return new Argon2Params(m, t, par);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String encode(Argon2Params p, byte[] salt, byte[] hash) {
        return PREFIX + "m=" + p.memoryKiB() + ",t=" + p.iterations() + ",p=" + p.parallelism() + "$"
            + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    static byte[] compute(String password, Argon2Params p, byte[] salt) {
        return compute(password, p, salt, HASH_BYTES, null);
    }

    private static byte[] compute(String password, Argon2Params p, byte[] salt, int length,
                                  Argon2BytesGenerator.BlockPool blocks) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id);
        if (blocks != null) {
            b.withBlockPool(blocks);
        }
        Argon2Parameters a = b
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(p.memoryKiB())
            .withIterations(p.iterations())
            .withParallelism(p.parallelism())
            .withSalt(salt)
            .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(a);
        byte[] out = new byte[length];
        byte[] pw = Normalizer.normalize(password == null ? "" : password, Normalizer.Form.NFC)
            .getBytes(StandardCharsets.UTF_8);
        g.generateBytes(pw, out);
        java.util.Arrays.fill(pw, (byte) 0);
        return out;
    }
}
