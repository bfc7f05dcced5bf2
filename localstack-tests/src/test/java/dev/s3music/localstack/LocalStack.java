package dev.s3music.localstack;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.Map;

/**
 * One LocalStack container (S3 and SQS) shared by the test classes of this JVM; Testcontainers' reaper removes it
 * when the JVM exits. The image is pinned (newer {@code latest} images ask for an auth token); override it with
 * {@code -Dlocalstack.image=...}.
 */
final class LocalStack {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

    private static LocalStackContainer container;

    private LocalStack() {
    }

    static synchronized LocalStackContainer container() {
        if (container == null) {
            LocalStackContainer c = new LocalStackContainer(DockerImageName.parse(
                System.getProperty("localstack.image", DEFAULT_IMAGE)).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("s3", "sqs");
            c.start();
            container = c;
        }
        return container;
    }

    static URI endpoint() {
        return container().getEndpoint();
    }

    static String accessKey() {
        return container().getAccessKey();
    }

    static String secretKey() {
        return container().getSecretKey();
    }

    static String region() {
        return container().getRegion();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey()));
    }

    static S3Client s3() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(endpoint()).forcePathStyle(true).region(Region.of(region()))
            .credentialsProvider(credentials()).build();
    }

    static SqsClient sqs() {
        return SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(endpoint()).region(Region.of(region()))
            .credentialsProvider(credentials()).build();
    }

    /**
     * Creates the queue and returns its URL on the mapped endpoint: LocalStack builds queue URLs from its own host
     * name and port 4566, which the host does not see behind Docker's port mapping.
     */
    static String createQueue(SqsClient sqs, String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        return endpoint().resolve(URI.create(url).getRawPath()).toString();
    }

    static String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Creates the bucket and has it notify the queue of every created and removed object, as S3 would. */
    static void bucketNotifyingQueue(S3Client s3, SqsClient sqs, String bucket, String queueUrl) {
        s3.createBucket(b -> b.bucket(bucket));
        String arn = queueArn(sqs, queueUrl);
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
            .queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED))));
    }

    /** The SDK's default credentials chain of the launched roles reads these (as a task role on AWS). */
    static Map<String, String> credentialProperties() {
        return Map.of("aws.accessKeyId", accessKey(), "aws.secretAccessKey", secretKey());
    }
}
