package dev.s3music.indexer.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link FolderEventsVerticle}.
 *
 * @param bucketDir the folder S3Proxy serves as the bucket ({@code <MUSIC_DIR>/<bucket>} with EmbeddedS3.onFolder)
 * @param bucket    the bucket name written into the events
 * @param queueUrl  the embedded SQS queue the indexer consumes
 * @param interval  time between two walks of the folder; a new or changed file is reported once it looked the
 *                  same (size, mtime) in two walks in a row, so files still being copied are not read half-written
 */
public record FolderEventsConfig(Path bucketDir, String bucket, String queueUrl, Duration interval) {

    public FolderEventsConfig {
        Objects.requireNonNull(bucketDir, "bucketDir");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(queueUrl, "queueUrl");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
    }

    public static FolderEventsConfig of(Path bucketDir, String bucket, String queueUrl) {
        return new FolderEventsConfig(bucketDir, bucket, queueUrl, Duration.ofMillis(500));
    }
}
