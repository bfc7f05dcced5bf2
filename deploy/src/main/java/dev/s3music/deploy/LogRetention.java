package dev.s3music.deploy;

import java.util.Map;
import java.util.TreeSet;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Maps a retention in days (what an operator writes) to CloudWatch's fixed choices. */
final class LogRetention {

    private static final Map<Integer, RetentionDays> BY_DAYS = Map.of(
        7, RetentionDays.ONE_WEEK,
        14, RetentionDays.TWO_WEEKS,
        30, RetentionDays.ONE_MONTH,
        90, RetentionDays.THREE_MONTHS,
        180, RetentionDays.SIX_MONTHS,
        365, RetentionDays.ONE_YEAR);

    private LogRetention() {
    }

    static boolean isSupported(int days) {
        return BY_DAYS.containsKey(days);
    }

    static String supportedDays() {
        return new TreeSet<>(BY_DAYS.keySet()).toString();
    }

    static RetentionDays of(int days) {
        RetentionDays r = BY_DAYS.get(days);
        if (r == null) {
            throw new IllegalArgumentException("unsupported log retention " + days + " days, use one of " + supportedDays());
        }
        return r;
    }
}
