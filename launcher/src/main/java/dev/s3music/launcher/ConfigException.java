package dev.s3music.launcher;

/** A bad configuration value: the start fails with this message, which names the variable. */
public final class ConfigException extends RuntimeException {

    private final String variable;

    public ConfigException(String variable, String message) {
        super(variable + ": " + message);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
