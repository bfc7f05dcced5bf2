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
        create(app, Environment.builder()
            .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
            .region(System.getenv("CDK_DEFAULT_REGION"))
            .build());
        app.synth();
    }

    /** Builds the stack from the app's context ({@code -c key=value} and cdk.json). */
    static MusicServerStack create(App app, Environment env) {
        DeploySettings settings = DeploySettings.from(key -> app.getNode().tryGetContext(key));
        Object stackName = app.getNode().tryGetContext("stackName");
        return new MusicServerStack(app, stackName == null ? STACK_NAME : stackName.toString(), StackProps.builder()
            .env(env)
            .description("s3music: an S3 music server on ECS Fargate (api, indexer, metadata-worker)")
            .build(), settings);
    }
}
