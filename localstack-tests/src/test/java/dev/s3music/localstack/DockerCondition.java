package dev.s3music.localstack;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Runs a {@link LocalStackTest} only when a Docker engine answers; Docker is probed once per JVM. */
public final class DockerCondition implements ExecutionCondition {

    private static volatile Boolean available;

    static boolean dockerAvailable() {
        Boolean a = available;
        if (a == null) {
            a = DockerClientFactory.instance().isDockerAvailable();
            available = a;
        }
        return a;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return dockerAvailable()
            ? ConditionEvaluationResult.enabled("a Docker engine answers")
            : ConditionEvaluationResult.disabled("not run: no Docker engine answers, and LocalStack runs in Docker");
    }
}
