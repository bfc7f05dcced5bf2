package dev.s3music.indexer.tags;

import dev.s3music.indexer.BytesObjectStore;
import dev.s3music.model.SongTags;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static dev.s3music.indexer.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Tags of real files made with ffmpeg (see src/test/resources/audio/make-test-audio.sh), read by ranges. */
class RangedTagReaderTest {

    static Vertx vertx;
    static WorkerExecutor worker;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        worker = vertx.createSharedWorkerExecutor("indexer-tags-test", 2);
    }

    @AfterAll
    static void stop() {
        worker.close();
        await(vertx.close());
    }

    static byte[] audio(String name) {
        try (InputStream in = RangedTagReaderTest.class.getResourceAsStream("/audio/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SongTags read(BytesObjectStore store, String key) {
        String format = key.substring(key.lastIndexOf('.') + 1);
        int size = store.head(key).result() == null ? 0 : (int) store.head(key).result().size();
        return await(new RangedTagReader(store, worker, tmp).read(key, format, size));
    }

    private SongTags read(String file) {
        return read(new BytesObjectStore().put("A/B/" + file, audio(file)), "A/B/" + file);
    }

    @Test
    void readsId3v2TagsWithEmbeddedCoverFromMp3() {
        SongTags t = read("id3v2.mp3");
        assertThat(t).isEqualTo(new SongTags("Blue in Grün", "Miles Däwis", "Kind of Blue", 3, 1, 1959, "Jazz", 3, true));
    }

    private io.vertx.core.buffer.Buffer picture(String file, byte[] content) {
        BytesObjectStore store = new BytesObjectStore().put("A/B/" + file, content);
        return await(new RangedTagReader(store, worker, tmp).picture("A/B/" + file,
            file.substring(file.lastIndexOf('.') + 1), content.length));
    }

    @Test
    void readsTheEmbeddedPictureOfMp3AndFlacByRanges() {
        byte[] cover = audio("cover.png");
        assertThat(picture("id3v2.mp3", audio("id3v2.mp3")).getBytes()).isEqualTo(cover);
        assertThat(picture("tagged.flac", audio("tagged.flac")).getBytes()).isEqualTo(cover);
    }

    @Test
    void aFileWithoutPictureOrWithUnreadableTagsHasNone() {
        assertThat(picture("id3v1.mp3", audio("id3v1.mp3"))).isNull();
        assertThat(picture("tagged.ogg", audio("tagged.ogg"))).isNull();
        assertThat(picture("tagged.opus", audio("tagged.opus"))).isNull();
        assertThat(picture("noise.mp3", new byte[5000])).isNull();
    }

    @Test
    void thePictureOfALongFileIsReadWithoutTheAudio() {
        // the mp3 with its picture, followed by 20 MB of audio frames that are never fetched
        byte[] head = audio("id3v2.mp3");
        byte[] longFile = java.util.Arrays.copyOf(head, head.length + 20 * 1024 * 1024);
        BytesObjectStore store = new BytesObjectStore().put("A/B/long.mp3", longFile);
        io.vertx.core.buffer.Buffer pic = await(new RangedTagReader(store, worker, tmp).picture("A/B/long.mp3", "mp3",
            longFile.length));
        assertThat(pic.getBytes()).isEqualTo(audio("cover.png"));
        assertThat(store.bytesRead.get()).isLessThan(256 * 1024);
    }

    @Test
    void readsId3v1TagsFromTheEndOfMp3() {
        SongTags t = read("id3v1.mp3");
        assertThat(t.title()).isEqualTo("So What");
        assertThat(t.artist()).isEqualTo("Miles Davis");
        assertThat(t.track()).isEqualTo(1);
        assertThat(t.year()).isEqualTo(1959);
        assertThat(t.embeddedCover()).isFalse();
    }

    @Test
    void readsVorbisCommentsAndPictureFromFlac() {
        assertThat(read("tagged.flac")).isEqualTo(new SongTags("Hunter", "Björk", "Homogenic", 1, 1, 1997, "Electronic", 3, true));
    }

    @Test
    void readsOggVorbisAndOpus() {
        SongTags ogg = read("tagged.ogg");
        assertThat(ogg.title()).isEqualTo("Avalon");
        assertThat(ogg.artist()).isEqualTo("Sigur Rós");
        assertThat(ogg.album()).isEqualTo("Ágætis byrjun");
        assertThat(ogg.track()).isEqualTo(8);
        assertThat(ogg.durationSeconds()).isEqualTo(3);
        SongTags opus = read("tagged.opus");
        assertThat(opus.title()).isEqualTo("Opus Song");
        assertThat(opus.track()).isEqualTo(2);
    }

    @Test
    void readsM4aWithMoovAtTheEndOrAtTheStart() {
        SongTags last = read("moov-last.m4a");
        assertThat(last.title()).isEqualTo("Moov Last");
        assertThat(last.artist()).isEqualTo("AAC Artist");
        assertThat(last.track()).isEqualTo(4);
        assertThat(last.durationSeconds()).isEqualTo(3);
        assertThat(read("moov-first.m4a").title()).isEqualTo("Moov First");
    }

    @Test
    void readsWavInfoChunk() {
        SongTags t = read("tagged.wav");
        assertThat(t.title()).isEqualTo("Wave Title");
        assertThat(t.artist()).isEqualTo("Wave Artist");
        assertThat(t.durationSeconds()).isEqualTo(3);
    }

    @Test
    void aFileThatIsNotAudioGivesNoTagsAndNoError() {
        BytesObjectStore store = new BytesObjectStore().put("A/B/x.mp3", "not audio at all".repeat(100).getBytes());
        assertThat(read(store, "A/B/x.mp3")).isNull();
    }

    @Test
    void indexingLargeFilesReadsOnlyASmallPartOfThem() {
        int big = 40 * 1024 * 1024;
        // m4a: moov at the end behind a 40 MB free atom (valid: chunk offsets point into mdat, before it)
        byte[] m4a = audio("moov-last.m4a");
        int moov = indexOf(m4a, "moov") - 4;
        ByteArrayOutputStream large = new ByteArrayOutputStream();
        large.write(m4a, 0, moov);
        large.writeBytes(ByteBuffer.allocate(8).putInt(big + 8).put("free".getBytes()).array());
        large.writeBytes(new byte[big]);
        large.write(m4a, moov, m4a.length - moov);
        // mp3: the ID3v2 tag and the audio frames repeated to 40 MB
        byte[] mp3 = audio("id3v2.mp3");
        int tagEnd = 10 + ((mp3[6] & 0x7f) << 21 | (mp3[7] & 0x7f) << 14 | (mp3[8] & 0x7f) << 7 | (mp3[9] & 0x7f));
        ByteArrayOutputStream longMp3 = new ByteArrayOutputStream();
        longMp3.write(mp3, 0, tagEnd);
        while (longMp3.size() < big) {
            longMp3.write(mp3, tagEnd, mp3.length - tagEnd);
        }
        // wav: a 40 MB data chunk, then the LIST chunk
        byte[] wav = bigWav(big);

        BytesObjectStore store = new BytesObjectStore().put("A/B/big.m4a", large.toByteArray())
            .put("A/B/big.mp3", longMp3.toByteArray()).put("A/B/big.wav", wav);
        assertThat(read(store, "A/B/big.m4a").title()).isEqualTo("Moov Last");
        assertThat(read(store, "A/B/big.mp3").title()).isEqualTo("Blue in Grün");
        assertThat(read(store, "A/B/big.wav").title()).isEqualTo("Big Wave");
        long total = 3L * big;
        assertThat(store.bytesRead.get()).as("bytes read of %d", total).isLessThan(600 * 1024);
        assertThat(store.reads.get()).isLessThanOrEqualTo(12);
    }

    private static byte[] bigWav(int dataBytes) {
        byte[] info = listInfo("INAM", "Big Wave");
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + dataBytes + info.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(4 + 24 + 8 + dataBytes + info.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
            .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataBytes).position(b.position() + dataBytes);
        b.put(info);
        return b.array();
    }

    private static byte[] listInfo(String id, String value) {
        byte[] v = (value + "\0").getBytes();
        int padded = v.length + (v.length & 1);
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put("LIST".getBytes()).putInt(4 + 8 + padded).put("INFO".getBytes()).put(id.getBytes()).putInt(v.length).put(v);
        return b.array();
    }

    private static int indexOf(byte[] data, String what) {
        byte[] w = what.getBytes();
        outer:
        for (int i = data.length - w.length; i >= 0; i--) {
            for (int j = 0; j < w.length; j++) {
                if (data[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException(what + " not found");
    }
}
