package dev.s3music.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalization for sorting and search: case- and accent-insensitive. Never used for ids. */
public final class Names {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Names() {
    }

    /** "Beyoncé" and "beyonce" sort together; ties are broken by the caller on the exact name. */
    public static String sortKey(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT).strip();
    }
}
