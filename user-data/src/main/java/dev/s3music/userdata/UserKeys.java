package dev.s3music.userdata;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Locale;

/**
 * Where a user's documents live: {@code users/<key>/...}, key = base64url (unpadded) of the UTF-8 of the NFC,
 * lowercased name, the same folding as the accounts ({@code accounts/<key>.json}): any name is a safe path segment,
 * and names that differ only in case or composition are one user.
 */
final class UserKeys {

    static final String USERS = "users/";
    static final String PLAYLISTS = "playlists/";

    private UserKeys() {
    }

    static String fold(String username) {
        return Normalizer.normalize(username, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    static boolean same(String a, String b) {
        return a != null && b != null && fold(a).equals(fold(b));
    }

    static String folder(String username) {
        return USERS + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(fold(username).getBytes(StandardCharsets.UTF_8)) + "/";
    }

    static String library(String username) {
        return folder(username) + "library.json";
    }

    static String plays(String username) {
        return folder(username) + "plays.json";
    }

    static String queue(String username) {
        return folder(username) + "queue.json";
    }

    static String playlist(String id) {
        return PLAYLISTS + id + ".json";
    }
}
