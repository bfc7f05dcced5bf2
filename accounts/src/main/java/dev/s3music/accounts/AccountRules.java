package dev.s3music.accounts;

import dev.s3music.model.DomainException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Usernames and passwords. Usernames: 1-64 characters after NFC, no control characters, no leading or trailing
 * space; unique ignoring case ({@link #key}). Passwords: 10-256 bytes of UTF-8 and not one of the common passwords
 * shipped in {@code common-passwords.txt} (compared lowercased): length and a blocklist, no composition rules, as
 * NIST SP 800-63B and OWASP advise.
 */
public final class AccountRules {

    public static final int MAX_USERNAME_CHARS = 64;
    public static final int MIN_PASSWORD_BYTES = 10;
    public static final int MAX_PASSWORD_BYTES = 256;

    private AccountRules() {
    }

    /** The username as stored (NFC), or INVALID naming the rule it breaks. */
    public static String username(String raw) {
        if (raw == null) {
            throw DomainException.invalid("username is required");
        }
        String n = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int chars = n.codePointCount(0, n.length());
        if (chars < 1 || chars > MAX_USERNAME_CHARS) {
            throw DomainException.invalid("username must be 1 to " + MAX_USERNAME_CHARS + " characters");
        }
        if (n.codePoints().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid("username must not hold control characters");
        }
        if (!n.strip().equals(n)) {
            throw DomainException.invalid("username must not start or end with a space");
        }
        return n;
    }

    /** NFC, lowercased (Locale.ROOT): two names with the same fold are the same account. */
    public static String fold(String nfcName) {
        return Normalizer.normalize(nfcName, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /** A file-name-safe key of the folded name: base64url of its UTF-8, unpadded. */
    public static String key(String nfcName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fold(nfcName).getBytes(StandardCharsets.UTF_8));
    }

    /** INVALID naming the rule a new password breaks. */
    public static void checkPassword(String password) {
        if (password == null) {
            throw DomainException.invalid("password is required");
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_PASSWORD_BYTES || bytes > MAX_PASSWORD_BYTES) {
            throw DomainException.invalid("password must be " + MIN_PASSWORD_BYTES + " to " + MAX_PASSWORD_BYTES + " bytes");
        }
        if (isCommon(password)) {
            throw DomainException.invalid("password is too common");
        }
    }

    public static boolean isCommon(String password) {
        return Common.SET.contains(password.toLowerCase(Locale.ROOT));
    }

    /** Loaded once, on first use; only the entries long enough to pass the length rule are kept. */
    private static final class Common {
        static final Set<String> SET = load();

        private static Set<String> load() {
            Set<String> s = new HashSet<>();
            try (InputStream in = AccountRules.class.getResourceAsStream("common-passwords.txt")) {
                if (in == null) {
                    throw new IllegalStateException("common-passwords.txt missing from the accounts jar");
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    String p = line.strip().toLowerCase(Locale.ROOT);
                    if (p.getBytes(StandardCharsets.UTF_8).length >= MIN_PASSWORD_BYTES) {
                        s.add(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Set.copyOf(s);
        }
    }
}
