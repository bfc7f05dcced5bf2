package dev.s3music.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/** The resources a process opened besides Vert.x (clients, temporary folders, stand-ins), closed last first. */
final class Opened {

    private static final Logger LOG = LoggerFactory.getLogger(Opened.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    synchronized void push(AutoCloseable resource) {
        resources.push(resource);
    }

    /** Closes every resource, last opened first; a failure is logged and the others still close. */
    synchronized void closeAll() {
        while (!resources.isEmpty()) {
            AutoCloseable c = resources.pop();
            long step = System.nanoTime();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
            LOG.debug("closed {} in {} ms", c.getClass().getSimpleName(), Steps.millisSince(step));
        }
    }
}
