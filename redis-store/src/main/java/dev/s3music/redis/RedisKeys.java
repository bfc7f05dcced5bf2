package dev.s3music.redis;

/**
 * Key names. Every adapter puts all its keys under one prefix that holds a hash tag ({@code {...}}): Redis Cluster
 * then places them in one slot, which its scripts and batches need (a script may only touch keys of one slot).
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    /**
     * The prefix as given when it already holds a hash tag, else the whole prefix as the tag:
     * {@code "s3music:cat:"} becomes {@code "{s3music:cat:}"}, so {@code songs} is {@code "{s3music:cat:}songs"}.
     */
    public static String hashTagged(String prefix) {
        int open = prefix.indexOf('{');
        if (open >= 0 && prefix.indexOf('}', open + 2) > 0) {
            return prefix;
        }
        return "{" + prefix + "}";
    }
}
