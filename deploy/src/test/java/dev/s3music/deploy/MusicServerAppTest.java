package dev.s3music.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Template;

/** The app reads its parameters from CDK context the way {@code cdk synth -c ...} passes them (strings). */
class MusicServerAppTest {

    @Test
    void buildsTheStackFromContextGivenOnTheCommandLine() {
        MusicServerStack stack = MusicServerApp.create(
            CdkJson.app(Map.of("image", "ghcr.io/example/s3music:2", "stackName", "MusicTest", "apiMax", "9")),
            Environment.builder().account("123456789012").region("eu-west-1").build());
        assertThat(stack.getStackName()).isEqualTo("MusicTest");
        assertThat(stack.getRegion()).isEqualTo("eu-west-1");
        Template.fromStack(stack).hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
            Map.of("MinCapacity", 2, "MaxCapacity", 9));
    }

    @Test
    void refusesToSynthesizeWithoutAnImage() {
        assertThatThrownBy(() -> MusicServerApp.create(CdkJson.app(), Environment.builder().build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("context image");
    }
}
