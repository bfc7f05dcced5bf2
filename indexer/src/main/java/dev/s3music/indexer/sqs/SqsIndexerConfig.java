package dev.s3music.indexer.sqs;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link SqsIndexerVerticle}.
 *
 * @param queueUrl           the queue S3 notifications arrive on
 * @param deadLetterQueueUrl where poison messages are moved at once (undecodable bodies, or failing after
 *                           {@code maxReceives}); null to leave them to the queue's redrive policy alone
 * @param bucket             the library bucket; records of other buckets are ignored
 * @param waitTimeSeconds    long-poll wait (20 in production: the SQS maximum; the SQS client's read timeout
 *                           must be above it)
 * @param maxMessages        messages per receive (10: the SQS maximum)
 * @param pollers            receive loops running at once per verticle instance (throughput)
 * @param maxReceives        receives after which a message that keeps failing is dead-lettered by the indexer
 *                           (keep it equal to the redrive policy's maxReceiveCount)
 * @param retryBackoff       first pause after a failed receive; doubles up to 16x, jittered
 * @param stopGrace          how long {@code stop()} waits for batches in flight before releasing the rest
 */
public record SqsIndexerConfig(String queueUrl, String deadLetterQueueUrl, String bucket, int waitTimeSeconds,
                               int maxMessages, int pollers, int maxReceives, Duration retryBackoff,
                               Duration stopGrace) {

    public SqsIndexerConfig {
        Objects.requireNonNull(queueUrl, "queueUrl");
        Objects.requireNonNull(bucket, "bucket");
        if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
            throw new IllegalArgumentException("waitTimeSeconds must be 0..20: " + waitTimeSeconds);
        }
        if (maxMessages < 1 || maxMessages > 10) {
            throw new IllegalArgumentException("maxMessages must be 1..10: " + maxMessages);
        }
        if (pollers < 1 || pollers > 64) {
            throw new IllegalArgumentException("pollers must be 1..64: " + pollers);
        }
        if (maxReceives < 1) {
            throw new IllegalArgumentException("maxReceives must be >= 1: " + maxReceives);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(stopGrace, "stopGrace");
    }

    /** Production defaults: 20 s long polls, batches of 10, 4 pollers, dead-letter after 5 receives. */
    public static SqsIndexerConfig of(String queueUrl, String deadLetterQueueUrl, String bucket) {
        return new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, bucket, 20, 10, 4, 5, Duration.ofSeconds(1),
            Duration.ofSeconds(10));
    }

    public SqsIndexerConfig withWaitTimeSeconds(int seconds) {
        return new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, bucket, seconds, maxMessages, pollers, maxReceives,
            retryBackoff, stopGrace);
    }

    public SqsIndexerConfig withPollers(int n) {
        return new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, bucket, waitTimeSeconds, maxMessages, n, maxReceives,
            retryBackoff, stopGrace);
    }

    public SqsIndexerConfig withMaxReceives(int n) {
        return new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, bucket, waitTimeSeconds, maxMessages, pollers, n,
            retryBackoff, stopGrace);
    }
}
