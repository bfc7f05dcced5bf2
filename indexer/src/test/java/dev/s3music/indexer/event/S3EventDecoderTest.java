package dev.s3music.indexer.event;

import dev.s3music.model.Sequencers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class S3EventDecoderTest {

    private final S3EventDecoder decoder = new S3EventDecoder("music-uploads");

    static String fixture(String name) {
        try (InputStream in = S3EventDecoderTest.class.getResourceAsStream("/s3events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String event(String bucket, String eventName, String rawKey, String sequencer) {
        return """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventTime":"2024-05-04T12:34:56.789Z",
            "eventName":"%s","s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s"},
            "object":{"key":"%s","size":10,"eTag":"abc","sequencer":"%s"}}}]}
            """.formatted(eventName, bucket, rawKey, sequencer);
    }

    private List<KeyEvent> events(String body) {
        Decoded d = decoder.decode(body);
        assertThat(d).isInstanceOf(Decoded.Events.class);
        return ((Decoded.Events) d).events();
    }

    @Test
    void decodesPutWithUtf8EscapedKeyOnce() {
        List<KeyEvent> e = events(fixture("put.json"));
        assertThat(e).containsExactly(new KeyEvent(KeyEvent.Kind.UPSERT, "Björk/Homogenic/01 Hunter.flac",
            "0066362B9C2F1A4E85", 28734112L, "9b2cf535f27731c974343645a3985328",
            java.time.Instant.parse("2024-05-04T12:34:56.789Z")));
    }

    @Test
    void decodesMultipartUploadAsUpsert() {
        KeyEvent e = events(fixture("multipart.json")).get(0);
        assertThat(e.kind()).isEqualTo(KeyEvent.Kind.UPSERT);
        assertThat(e.key()).isEqualTo("Sigur Rós/Ágætis byrjun/08 Avalon.flac");
        assertThat(e.etag()).isEqualTo("d8e8fca2dc0f896fd7cb4cb0031ba249-13");
    }

    @Test
    void decodesDeleteAsRemoveWithoutSizeOrEtag() {
        KeyEvent e = events(fixture("delete.json")).get(0);
        assertThat(e.kind()).isEqualTo(KeyEvent.Kind.REMOVE);
        assertThat(e.key()).isEqualTo("Nirvana/Nevermind/01 Smells Like Teen Spirit.flac");
        assertThat(e.size()).isNull();
        assertThat(e.sequencer()).isEqualTo("0066362D00AA11BB22");
    }

    @Test
    void deleteMarkerRemovesTheKey() {
        assertThat(events(event("music-uploads", "ObjectRemoved:DeleteMarkerCreated", "a/b/c.mp3", "01")).get(0).kind())
            .isEqualTo(KeyEvent.Kind.REMOVE);
    }

    @Test
    void copyIsAnUpsert() {
        assertThat(events(event("music-uploads", "ObjectCreated:Copy", "a/b/c.mp3", "01")).get(0).kind())
            .isEqualTo(KeyEvent.Kind.UPSERT);
    }

    @Test
    void unwrapsSnsEnvelope() {
        assertThat(events(fixture("sns_wrapped_put.json"))).singleElement()
            .satisfies(e -> assertThat(e.key()).isEqualTo("Björk/Homogenic/01 Hunter.flac"));
    }

    @Test
    void skipsTestEventsAndBodiesWithoutRecords() {
        assertThat(decoder.decode(fixture("test_event.json"))).isInstanceOf(Decoded.Skip.class);
        assertThat(decoder.decode("{\"detail-type\":\"Object Created\",\"detail\":{}}")).isInstanceOf(Decoded.Skip.class);
    }

    @Test
    void decodesPlusAsSpaceAndPercent2BAsPlusExactlyOnce() {
        assertThat(events(event("music-uploads", "ObjectCreated:Put", "AC%2FDC+x/a%2Bb/100%2525+c.mp3", "01")).get(0).key())
            .isEqualTo("AC/DC x/a+b/100%25 c.mp3");
    }

    @Test
    void keyWithBadEscapeIsPoison() {
        assertThat(decoder.decode(event("music-uploads", "ObjectCreated:Put", "a/b/%zz.mp3", "01"))).isInstanceOf(Decoded.Poison.class);
        assertThat(decoder.decode(event("music-uploads", "ObjectCreated:Put", "a/b/%FF.mp3", "01"))).isInstanceOf(Decoded.Poison.class);
        assertThat(decoder.decode(event("music-uploads", "ObjectCreated:Put", "a/b/x%E", "01"))).isInstanceOf(Decoded.Poison.class);
    }

    @Test
    void nonJsonBodiesArePoison() {
        assertThat(decoder.decode("not json")).isInstanceOf(Decoded.Poison.class);
        assertThat(decoder.decode("[1,2]")).isInstanceOf(Decoded.Poison.class);
        assertThat(decoder.decode("")).isInstanceOf(Decoded.Poison.class);
    }

    @Test
    void ignoresOtherBucketsAndOtherEventNames() {
        Decoded d = decoder.decode(event("someone-else", "ObjectCreated:Put", "a/b/c.mp3", "01"));
        assertThat(((Decoded.Events) d).events()).isEmpty();
        assertThat(((Decoded.Events) d).ignoredRecords()).isEqualTo(1);
        assertThat(events(event("music-uploads", "ObjectRestore:Completed", "a/b/c.mp3", "01"))).isEmpty();
    }

    @Test
    void sequencersCompareAfterRightPaddingWithZeros() {
        assertThat(Sequencers.compare("0066362B9C2F1A4E85", "0066362B9C2F1A4E8500")).isZero();
        assertThat(Sequencers.compare("0066362B9C2F1A4E86", "0066362B9C2F1A4E8500")).isPositive();
        assertThat(Sequencers.compare("0066362B9C2F1A4E8", "0066362B9C2F1A4E80001")).isNegative();
        assertThat(Sequencers.isNewer("01", null)).isTrue();
        assertThat(Sequencers.isNewer("01", "01")).isFalse();
    }

    /** A record of the put fixture's shape with these raw JSON values of sequencer, size and eTag. */
    static String put(String sequencerJson, String sizeJson, String etagJson) {
        return """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventTime":"2024-05-04T12:34:56.789Z",
            "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","bucket":{"name":"music-uploads"},
            "object":{"key":"a/b/c.mp3","size":%s,"eTag":%s,"sequencer":%s}}}]}
            """.formatted(sizeJson, etagJson, sequencerJson);
    }

    @Test
    void forgedOrOddFieldsArePoisonNotCatalogEntries() {
        // issue 9, item 7: this ETag hung streams and broke HEAD; this sequencer refused later genuine events
        assertThat(decoder.decode(put("\"0066362B9C2F1A4E85\"", "10", "\"abc\\r\\nX-Evil: injected\"")))
            .isInstanceOf(Decoded.Poison.class);
        assertThat(decoder.decode(put("\"" + "F".repeat(200) + "\"", "10", "\"abc\"")))
            .isInstanceOf(Decoded.Poison.class);
        for (String etag : List.of("\"ab\\\"c\"", "\"abc def\"", "\"xyz\"", "\"abc-\"", "\"abc-1x\"", "\"-3\"",
            "\"" + "a".repeat(200) + "\"")) {
            assertThat(decoder.decode(put("\"01\"", "10", etag))).as(etag).isInstanceOf(Decoded.Poison.class);
        }
        for (String seq : List.of("\"0x1F\"", "\"01 \"", "\"G1\"", "\"01\\n\"", "\"" + "0".repeat(33) + "\"")) {
            assertThat(decoder.decode(put(seq, "10", "\"abc\""))).as(seq).isInstanceOf(Decoded.Poison.class);
        }
        for (String size : List.of("-1", "null", String.valueOf(S3EventDecoder.MAX_SIZE + 1))) {
            assertThat(decoder.decode(put("\"01\"", size, "\"abc\""))).as(size).isInstanceOf(Decoded.Poison.class);
        }
    }

    @Test
    void acceptsEveryShapeS3Writes() {
        // 16-18 hex digits from S3, 20 from the embedded folder watcher; MD5 ETags, multipart ones, none at all
        for (String seq : List.of("0055AED6DCD90281E5", "0066362b9c2f1a4e85", "00000191AABBCCDD", "0123456789ABCDEF0123")) {
            assertThat(events(put("\"" + seq + "\"", "0", "\"9b2cf535f27731c974343645a3985328\"")).get(0).sequencer())
                .isEqualTo(seq);
        }
        assertThat(events(put("\"01\"", "5497558138880", "\"d8e8fca2dc0f896fd7cb4cb0031ba249-10000\"")).get(0).etag())
            .isEqualTo("d8e8fca2dc0f896fd7cb4cb0031ba249-10000");
        assertThat(events(put("\"01\"", "10", "null")).get(0).etag()).isNull();
        // a delete carries neither size nor ETag, and its sequencer is checked all the same
        assertThat(decoder.decode(event("music-uploads", "ObjectRemoved:Delete", "a/b/c.mp3", "01\\r\\n")))
            .isInstanceOf(Decoded.Poison.class);
    }
}
