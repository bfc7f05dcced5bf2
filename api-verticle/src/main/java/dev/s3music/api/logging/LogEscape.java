package dev.s3music.api.logging;

/**
 * Escapes what a terminal or a log viewer would interpret in text built from input (request paths, headers, S3
 * keys, event fields): C0 controls (NUL, backspace, ESC, CR, LF...), DEL, the C1 controls (U+0080-U+009F, NEL
 * U+0085 among them) and the Unicode line and paragraph separators become {@code \xHH} or {@code \\uHHHH}. A path
 * such as {@code /api/\u001b[31mRED} then cannot colour, rewrite or split a line of the text log. Tab stays.
 *
 * <p>Used once, at the right depth: {@link SafeMessageConverter} applies it to the formatted message of every text
 * log line ({@code %safeMsg} in {@code logback-text.xml}), whoever logged it. The JSON format needs nothing: the
 * encoder escapes control characters as JSON requires.
 */
public final class LogEscape {

    private LogEscape() {
    }

    /** {@code text} with every control character escaped; the same instance when there is none (the usual case). */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !escaped(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!escaped(c)) {
                b.append(c);
            } else if (c < 0x100) {
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean escaped(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
    }
}
