package dev.s3music.model;

/**
 * One part of a multipart upload: its number (1..10,000), the ETag S3 gave it (unquoted), and its size in bytes
 * (-1 when the caller does not know it, as in a completion request).
 */
public record UploadPart(int partNumber, String etag, long size) {
}
