-- KEYS: 1 seq, 2 songs, 3 ixe, 4 ix:song, 5 member, 6 artists, 7 ix:artist, 8 albums:{artistId}, 9 ix:album,
-- 10 album:{albumId}, 11 keys, 12 (unused here), 13..29 the list keys (lists.lua)
-- ARGV: 1 key, 2 songId, 3 song json, 4 mode, 5 sequencer, 6 since, 7 artistId, 8 artist member, 9 albumId,
-- 10 album member, 11 song entries, 12 artist entries, 13 album entries (entries joined by \2),
-- 14..20 the song's list facts (year, genre key, spelling, seconds, year member, genre-year member, genre member;
-- '' where none), 21 album head, 22 name head, 23 artist head (CatalogLists)
-- The song json ends with its "addedAt" field; a song already held keeps its own (first indexed) addedAt.
-- Returns 1 when the catalog changed, 0 when it already held this song, -1 when the guard refused the write.
local key, id, json = ARGV[1], ARGV[2], ARGV[3]
if not admit(KEYS[1], key, ARGV[4], ARGV[5], ARGV[6]) then return -1 end
local old = redis.call('HGET', KEYS[2], id)
if old then
  local kept = string.match(old, ',"addedAt":"[^"]*"}$')
  local fresh = string.find(json, ',"addedAt":"[^"]*"}$')
  if kept and fresh then json = string.sub(json, 1, fresh - 1) .. kept end
end
if old == json then return 0 end
if old then
  zrem_all(KEYS[4], split(redis.call('HGET', KEYS[3], id), '\2'))
else
  if redis.call('HSETNX', KEYS[5], ARGV[7], ARGV[8]) == 1 then
    redis.call('ZADD', KEYS[6], 0, ARGV[8])
    zadd_all(KEYS[7], split(ARGV[12], '\2'))
  end
  if redis.call('HSETNX', KEYS[5], ARGV[9], ARGV[10]) == 1 then
    redis.call('ZADD', KEYS[8], 0, ARGV[10])
    zadd_all(KEYS[9], split(ARGV[13], '\2'))
  end
  redis.call('SADD', KEYS[10], id)
  redis.call('ZADD', KEYS[11], 0, key)
end
redis.call('HSET', KEYS[2], id, json)
redis.call('HSET', KEYS[3], id, ARGV[11])
zadd_all(KEYS[4], split(ARGV[11], '\2'))
song_remove(id)
song_add(id, {ARGV[14], ARGV[15], ARGV[16], ARGV[17], ARGV[18], ARGV[19], ARGV[20]}, added_ms(json))
album_refresh(ARGV[9], ARGV[21], ARGV[22], ARGV[23])
return 1
