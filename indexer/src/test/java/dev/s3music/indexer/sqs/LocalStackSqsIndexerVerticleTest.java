package dev.s3music.indexer.sqs;

import dev.s3music.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import static dev.s3music.indexer.TestSupport.sqsClient;

/**
 * Every test of {@link SqsIndexerVerticleTest} with LocalStack's SQS in place of ElasticMQ (redrive policy, dead
 * letters, visibility, graceful stop). Tagged {@code localstack}: it runs only with {@code -Plocalstack}, and is
 * reported as not run, with its reason, when no Docker engine answers. The static set-up below hides the ElasticMQ
 * one of the superclass.
 */
@Tag("localstack")
@ExtendWith(LocalStackSqsIndexerVerticleTest.NeedsDocker.class)
class LocalStackSqsIndexerVerticleTest extends SqsIndexerVerticleTest {

    static LocalStackContainer localstack;

    @BeforeAll
    static void startServers() {
        localstack = new LocalStackContainer(DockerImageName.parse(System.getProperty("localstack.image",
            "localstack/localstack:4.4")).asCompatibleSubstituteFor("localstack/localstack")).withServices("sqs");
        localstack.start();
        redisServer = RedisServerProcess.start();
        sqsEndpoint = localstack.getEndpoint();
        sqs = sqsClient(sqsEndpoint);
    }

    @AfterAll
    static void stopServers() {
        if (sqs != null) {
            sqs.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    static final class NeedsDocker implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("a Docker engine answers");
            }
            String reason = "not run: no Docker engine answers, and LocalStack runs in Docker";
            System.out.println(context.getDisplayName() + " " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
