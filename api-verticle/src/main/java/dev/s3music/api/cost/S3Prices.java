package dev.s3music.api.cost;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The price table of the cost panel, in US dollars: S3 Standard-IA in us-east-1 (2026) by default, where the music
 * lives; the small documents under {@code .s3music/} are STANDARD, so PUT and LIST are at STANDARD's request price.
 * The operator sets the region's own with {@code S3_PRICES} ({@link #parse}).
 *
 * @param storagePerGbMonth  storage, per GB-month ({@code storage}; AWS's GB is 2^30 bytes)
 * @param retrievalPerGb     Standard-IA data retrieval, per GB read ({@code retrieval})
 * @param getPer1000         GET requests, ranged or whole, per 1,000 ({@code get})
 * @param headPer1000        HEAD requests, per 1,000 ({@code head})
 * @param listPer1000        LIST requests, per 1,000 ({@code list})
 * @param putPer1000         PUT (and COPY, POST) requests, per 1,000 ({@code put})
 */
public record S3Prices(double storagePerGbMonth, double retrievalPerGb, double getPer1000, double headPer1000,
                       double listPer1000, double putPer1000) {

    /** What {@code S3_PRICES} holds when unset (each name may be given alone; the others keep these). */
    public static final String DEFAULT_TEXT = "storage=0.0125,retrieval=0.01,get=0.001,head=0.001,list=0.005,put=0.005";
    public static final S3Prices DEFAULTS = parse(DEFAULT_TEXT, null);

    public S3Prices {
        for (double p : new double[]{storagePerGbMonth, retrievalPerGb, getPer1000, headPer1000, listPer1000, putPer1000}) {
            if (!(p >= 0) || p > 1000 || Double.isInfinite(p)) {
                throw new IllegalArgumentException("a price must be a number from 0 to 1000: " + p);
            }
        }
    }

    /** {@code S3_PRICES}: names from {@link #DEFAULT_TEXT}, comma-separated {@code name=dollars}; unset names keep the defaults. */
    public static S3Prices parse(String text) {
        return parse(text, DEFAULTS);
    }

    private static S3Prices parse(String text, S3Prices base) {
        Map<String, Double> v = new LinkedHashMap<>();
        if (base != null) {
            v.putAll(base.asMap());
        }
        if (text != null) {
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] kv = part.split("=", 2);
                String name = kv[0].strip().toLowerCase(Locale.ROOT);
                if (kv.length != 2 || !(base == null || v.containsKey(name))) {
                    throw new IllegalArgumentException("'" + part.strip() + "' is not one of name=dollars with a name of "
                        + "storage, retrieval, get, head, list, put");
                }
                try {
                    v.put(name, Double.parseDouble(kv[1].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + kv[1].strip() + "' is not a price in dollars (e.g. 0.01)");
                }
            }
        }
        return new S3Prices(v.get("storage"), v.get("retrieval"), v.get("get"), v.get("head"), v.get("list"),
            v.get("put"));
    }

    /** The table by its {@code S3_PRICES} names. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("storage", storagePerGbMonth);
        m.put("retrieval", retrievalPerGb);
        m.put("get", getPer1000);
        m.put("head", headPer1000);
        m.put("list", listPer1000);
        m.put("put", putPer1000);
        return m;
    }
}
