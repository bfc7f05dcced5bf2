package dev.s3music.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk synth} / {@code cdk deploy} run it through cdk.json). Settings come from CDK context
 * ({@code -c image=...}); account and region from the CLI's profile ({@code CDK_DEFAULT_ACCOUNT/REGION}).
 */
public final class MusicServerApp {

    public static final String STACK_NAME = "S3Music";

    private MusicServerApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        DeploySettings settings = DeploySettings.from(key -> app.getNode().tryGetContext(key));
        Environment env = Environment.builder()
            .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
            .region(System.getenv("CDK_DEFAULT_REGION"))
            .build();
        String name = String.valueOf(app.getNode().tryGetContext("stackName") == null
            ? STACK_NAME : app.getNode().tryGetContext("stackName"));
        new MusicServerStack(app, name, StackProps.builder()
            .env(env)
            .description("s3music: an S3 music server on ECS Fargate (api, indexer, metadata-worker)")
            .build(), settings);
        app.synth();
    }
}
