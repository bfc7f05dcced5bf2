package dev.s3music.model.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * One codec per message record: JSON on the wire (clustered bus), the record itself locally (records are
 * immutable, so no copy is needed).
 */
public final class JsonRecordCodec<T> implements MessageCodec<T, T> {

    private final Class<T> type;
    private final Function<T, JsonObject> toJson;
    private final Function<JsonObject, T> fromJson;

    public JsonRecordCodec(Class<T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
        this.type = type;
        this.toJson = toJson;
        this.fromJson = fromJson;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        Buffer json = toJson.apply(t).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        int len = buffer.getInt(pos);
        return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + len)));
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
