package dev.s3music.s3;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the library lives in S3 and how to reach it.
 *
 * @param bucket    the bucket that holds the library
 * @param region    the AWS region ({@code us-east-1} for S3-compatible servers that ignore it)
 * @param endpoint  an endpoint override (S3Proxy, MinIO, a VPC endpoint), or null for the AWS endpoint of the region
 * @param pathStyle true to address the bucket in the path ({@code http://host/bucket/key}), needed by S3Proxy
 * @param accessKey static access key, or null (with {@code secretKey}) to use the SDK default credentials chain
 * @param secretKey static secret key, or null
 */
public record S3Config(String bucket, String region, URI endpoint, boolean pathStyle, String accessKey,
                       String secretKey) {

    /** S3 bucket naming rules (the general-purpose subset: 3-63 chars, lower case, digits, dots, hyphens). */
    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    private static final Pattern REGION = Pattern.compile("^[a-z0-9-]{2,32}$");

    public S3Config {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("invalid S3 bucket name: '" + bucket + "'");
        }
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("invalid AWS region: '" + region + "'");
        }
        if (endpoint != null) {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new IllegalArgumentException("S3 endpoint must be an http(s) URL with a host: '" + endpoint + "'");
            }
            if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")) {
                throw new IllegalArgumentException("S3 endpoint must not have a path: '" + endpoint + "'");
            }
        }
        boolean hasAccess = accessKey != null && !accessKey.isBlank();
        boolean hasSecret = secretKey != null && !secretKey.isBlank();
        if (hasAccess != hasSecret) {
            throw new IllegalArgumentException("give both the S3 access key and secret key, or neither (default credentials chain)");
        }
        if (!hasAccess) {
            accessKey = null;
            secretKey = null;
        }
    }

    /**
     * Validating factory: bad values fail with a message naming what is wrong.
     *
     * @param endpoint the endpoint URL as text, or null/blank for AWS
     */
    public static S3Config of(String bucket, String region, String endpoint, boolean pathStyle, String accessKey,
                              String secretKey) {
        URI uri = null;
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                uri = URI.create(endpoint.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("S3 endpoint is not a URL: '" + endpoint + "'", e);
            }
        }
        return new S3Config(bucket, region == null || region.isBlank() ? "us-east-1" : region.strip(), uri, pathStyle,
            accessKey, secretKey);
    }

    /** An S3-compatible server such as S3Proxy: path-style addressing, static credentials, region us-east-1. */
    public static S3Config compatible(String bucket, URI endpoint, String accessKey, String secretKey) {
        return new S3Config(bucket, "us-east-1", endpoint, true, accessKey, secretKey);
    }

    public boolean staticCredentials() {
        return accessKey != null;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "S3Config[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", pathStyle="
            + pathStyle + ", credentials=" + (staticCredentials() ? "static " + accessKey : "default chain") + "]";
    }
}
