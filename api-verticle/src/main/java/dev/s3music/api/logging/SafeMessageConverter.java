package dev.s3music.api.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with control characters escaped ({@link LogEscape}): every text log line, the access log's and any
 * other that includes a request path, a header, an S3 key or an event field. Declare it in the text pattern:
 * <pre>{@code <conversionRule conversionWord="safeMsg" class="dev.s3music.api.logging.SafeMessageConverter"/>}</pre>
 * and use {@code %safeMsg} instead of {@code %msg}.
 */
public final class SafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogEscape.escape(super.convert(event));
    }
}
