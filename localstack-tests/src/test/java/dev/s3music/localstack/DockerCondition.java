package dev.s3music.localstack;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a {@link LocalStackTest} class only when a Docker engine answers (probed once per JVM), else reports it as not
 * run with a one-line reason.
 */
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
        if (dockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        String reason = "not run: no Docker engine answers, and LocalStack runs in Docker";
        // surefire keeps the reason in its XML report; this puts it on the build's console too (the module does not
        // redirect test output to files)
        System.out.println(context.getDisplayName() + " " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
