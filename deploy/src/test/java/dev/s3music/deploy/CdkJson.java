package dev.s3music.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awscdk.App;

/**
 * Apps for tests with the context of deploy/cdk.json (its feature flags), so a test synthesizes exactly what
 * {@code cdk synth} would.
 */
final class CdkJson {

    private CdkJson() {
    }

    static App app() {
        return app(Map.of());
    }

    /** An app with cdk.json's context plus {@code extra}, as {@code cdk synth -c key=value} would give it. */
    static App app(Map<String, Object> extra) {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(
                DockerfileTest.DEPLOY.resolve("cdk.json").toFile(), new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = new java.util.HashMap<>((Map<String, Object>) cdkJson.get("context"));
            context.putAll(extra);
            return App.Builder.create().context(context).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
