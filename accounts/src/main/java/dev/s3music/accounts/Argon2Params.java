package dev.s3music.accounts;

/**
 * Argon2id cost parameters, stored with every hash (PHC string {@code m=..,t=..,p=..}) so that raising them later
 * rehashes each password at its owner's next sign-in.
 *
 * @param memoryKiB   memory per hash in KiB
 * @param iterations  passes over the memory
 * @param parallelism lanes
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /** OWASP's minimum for Argon2id (Password Storage Cheat Sheet): 19 MiB, 2 iterations, 1 lane. */
    public static final Argon2Params OWASP_MINIMUM = new Argon2Params(19 * 1024, 2, 1);

    public Argon2Params {
        if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("bad Argon2 parameters m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism);
        }
    }

    /** Whether a hash made with {@code this} is weaker than {@code wanted} in any parameter (then: rehash). */
    public boolean weakerThan(Argon2Params wanted) {
        return memoryKiB < wanted.memoryKiB || iterations < wanted.iterations || parallelism < wanted.parallelism;
    }

    /** At least OWASP's minimum in every parameter. */
    public boolean meetsOwaspMinimum() {
        return !weakerThan(OWASP_MINIMUM);
    }
}
