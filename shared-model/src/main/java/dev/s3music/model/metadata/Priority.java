package dev.s3music.model.metadata;

/** Queue bands, most urgent first: a user waiting on a page, then warm-up after indexing, then the daily refresh. */
public enum Priority {
    USER, WARM, REFRESH;

    public int band() {
        return ordinal();
    }

    public static Priority ofBand(int band) {
        return values()[band];
    }
}
