package dev.s3music.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The audio formats the library plays, by file extension, with the media type sent to players. */
public final class AudioFormat {

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
        Map.entry("mp3", "audio/mpeg"),
        Map.entry("flac", "audio/flac"),
        Map.entry("ogg", "audio/ogg"),
        Map.entry("oga", "audio/ogg"),
        Map.entry("opus", "audio/ogg; codecs=opus"),
        Map.entry("m4a", "audio/mp4"),
        Map.entry("m4b", "audio/mp4"),
        Map.entry("mp4", "audio/mp4"),
        Map.entry("aac", "audio/aac"),
        Map.entry("wav", "audio/wav"),
        Map.entry("aif", "audio/aiff"),
        Map.entry("aiff", "audio/aiff"),
        Map.entry("aifc", "audio/aiff"),
        Map.entry("wma", "audio/x-ms-wma"));

    private AudioFormat() {
    }

    public static boolean isAudio(String extension) {
        return extension != null && CONTENT_TYPES.containsKey(extension.toLowerCase(Locale.ROOT));
    }

    public static Optional<String> contentType(String extension) {
        return extension == null ? Optional.empty()
            : Optional.ofNullable(CONTENT_TYPES.get(extension.toLowerCase(Locale.ROOT)));
    }
}
