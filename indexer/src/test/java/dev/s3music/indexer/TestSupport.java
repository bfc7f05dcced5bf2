package dev.s3music.indexer;

import io.vertx.core.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared helpers of the indexer tests: awaiting futures and conditions (bounded), SQS clients and queues. */
public final class TestSupport {

    private TestSupport() {
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (bounded) for a condition checked from the test thread. */
    public static void waitUntil(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + max + " waiting for " + what);
    }

    /** An SQS client as a composition root builds it: HTTP read timeout above the 20 s long poll. */
    public static SqsAsyncClient sqsClient(URI endpoint) {
        return SqsAsyncClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(30)).maxConcurrency(64))
            .build();
    }

    /** A queue and its dead-letter queue, with a redrive policy after {@code maxReceiveCount} receives. */
    public record Queues(String url, String dlqUrl) {
    }

    public static Queues createQueues(SqsAsyncClient sqs, int visibilitySeconds, int maxReceiveCount) {
        String name = "q-" + UUID.randomUUID();
        String dlq = sqs.createQueue(CreateQueueRequest.builder().queueName(name + "-dlq").build()).join().queueUrl();
        String dlqArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlq)
            .attributeNames(QueueAttributeName.QUEUE_ARN).build()).join().attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = sqs.createQueue(CreateQueueRequest.builder().queueName(name).attributes(Map.of(
            QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilitySeconds),
            QueueAttributeName.REDRIVE_POLICY,
            "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}")).build())
            .join().queueUrl();
        return new Queues(url, dlq);
    }

    public static void send(SqsAsyncClient sqs, String queueUrl, String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).join();
    }

    /** Receives (and deletes) what a queue holds now, polling briefly. */
    public static List<Message> drain(SqsAsyncClient sqs, String queueUrl) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<Message> got = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds(0).build()).join().messages();
            if (got.isEmpty()) {
                break;
            }
            out.addAll(got);
            for (Message m : got) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())).join();
            }
        }
        return out;
    }

    public static int approximateCount(SqsAsyncClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).join().attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
