package dev.s3music.launcher;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds the one SQS client of a process, and the embedded queues. Only composition roots call this. */
final class SqsClients {

    /** Above the indexer's 20 s long poll, so a poll that waits its full time never times out. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Name of the embedded queue (and of the compose/local-cluster one); the DLQ adds {@code -dlq}. */
    static final String QUEUE_NAME = "music-events";
    /** ElasticMQ accepts any credentials; the SDK still wants some. */
    private static final String EMBEDDED_KEY = "local";

    private SqsClients() {
    }

    /**
     * @param endpoint an SQS-compatible endpoint (ElasticMQ), or null for AWS
     * @param region   the queue's region
     * @param embedded true: static dummy credentials (ElasticMQ); false: the SDK's default credentials chain
     */
    static SqsAsyncClient create(URI endpoint, String region, boolean embedded) {
        var b = SqsAsyncClient.builder()
            .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                .readTimeout(READ_TIMEOUT)
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConcurrency(64))
            .overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(40)).build())
            .region(Region.of(region));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        b.credentialsProvider(embedded
            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(EMBEDDED_KEY, EMBEDDED_KEY))
            : DefaultCredentialsProvider.builder().build());
        return b.build();
    }

    /** A queue and its dead-letter queue. */
    record Queues(String queueUrl, String deadLetterQueueUrl) {
    }

    /**
     * Creates (or finds) {@code name} and {@code name-dlq}, the first redriving to the second after
     * {@code maxReceives} receives, as on AWS. Blocks the calling thread (never an event loop).
     */
    static Queues createWithDeadLetterQueue(SqsAsyncClient sqs, String name, int maxReceives) throws Exception {
        String dlq = sqs.createQueue(CreateQueueRequest.builder().queueName(name + "-dlq").build())
            .get(30, TimeUnit.SECONDS).queueUrl();
        String dlqArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlq)
                .attributeNames(QueueAttributeName.QUEUE_ARN).build())
            .get(30, TimeUnit.SECONDS).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceives + "\"}";
        String queue = sqs.createQueue(CreateQueueRequest.builder().queueName(name)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive,
                    QueueAttributeName.VISIBILITY_TIMEOUT, "120"))
                .build())
            .get(30, TimeUnit.SECONDS).queueUrl();
        return new Queues(queue, dlq);
    }
}
