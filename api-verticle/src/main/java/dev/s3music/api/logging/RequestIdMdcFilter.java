package dev.s3music.api.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.s3music.model.trace.RequestIds;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the request id of the current Vert.x context ({@link RequestIds#current()}) into the MDC of the logging
 * thread just before each log event is built, and takes it out when the thread logs for no request. Every line
 * logged while serving a request (by any class, ours or a library's) then carries {@code requestId}, in the JSON
 * encoder's {@code mdc} object and as {@code %X{requestId}} in text patterns.
 *
 * <p>Why a turbo filter: the MDC is per thread and an event loop interleaves requests, so it must be set at the
 * moment of logging from the context that is running; a turbo filter is the hook logback calls on the logging
 * thread before it creates the event (which copies the MDC). Cost per call: one context lookup. Declare it in
 * logback.xml: {@code <turboFilter class="dev.s3music.api.logging.RequestIdMdcFilter"/>}.
 */
public final class RequestIdMdcFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        String id = RequestIds.current();
        if (id != null) {
            if (!id.equals(MDC.get(RequestIds.MDC_KEY))) {
                MDC.put(RequestIds.MDC_KEY, id);
            }
        } else if (MDC.get(RequestIds.MDC_KEY) != null) {
            MDC.remove(RequestIds.MDC_KEY);
        }
        return FilterReply.NEUTRAL;
    }
}
