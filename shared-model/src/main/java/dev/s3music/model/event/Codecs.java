package dev.s3music.model.event;

import io.vertx.core.eventbus.EventBus;

import java.util.List;

/**
 * The codecs of every message record, registered once per Vert.x instance by each composition root.
 * Add new message records here.
 */
public final class Codecs {

    public static final List<JsonRecordCodec<?>> ALL = List.of(
        new JsonRecordCodec<>(SongIndexed.class, SongIndexed::toJson, SongIndexed::fromJson),
        new JsonRecordCodec<>(SongRemoved.class, SongRemoved::toJson, SongRemoved::fromJson),
        new JsonRecordCodec<>(MetadataLookup.class, MetadataLookup::toJson, MetadataLookup::fromJson),
        new JsonRecordCodec<>(MetadataLookupReply.class, MetadataLookupReply::toJson, MetadataLookupReply::fromJson),
        new JsonRecordCodec<>(SessionsRevoked.class, SessionsRevoked::toJson, SessionsRevoked::fromJson));

    private Codecs() {
    }

    public static void registerAll(EventBus bus) {
        for (JsonRecordCodec<?> c : ALL) {
            register(bus, c);
        }
    }

    private static <T> void register(EventBus bus, JsonRecordCodec<T> codec) {
        bus.registerDefaultCodec(codec.type(), codec);
    }
}
