package dev.s3music.localstack;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class against LocalStack: tagged {@code localstack} (the default build excludes the tag; {@code -Plocalstack}
 * selects it) and not run, with a one-line reason, when no Docker engine answers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("localstack")
@ExtendWith(DockerCondition.class)
public @interface LocalStackTest {
}
