-- KEYS: 1 seq, 2 songs, 3 ixe, 4 ix:song, 5 member, 6 artists, 7 ix:artist, 8 albums:{artistId}, 9 ix:album,
-- 10 album:{albumId}, 11 keys, 12 art:{album id of the art}, 13..30 the list keys (lists.lua)
-- ARGV: 1 key, 2 mode, 3 sequencer, 4 since, 5 songId ('' when not a song), 6 artistId, 7 albumId,
-- 8 artist entries, 9 album entries, 10 album id of art ('' when not art), 11 album head, 12 name head,
-- 13 artist head (CatalogLists)
-- Returns 1 when something was removed, 0 when nothing was there, -1 when the guard refused the write.
local key = ARGV[1]
if not admit(KEYS[1], key, ARGV[2], ARGV[3], ARGV[4]) then return -1 end
local changed = 0
local id, artistId, albumId = ARGV[5], ARGV[6], ARGV[7]
if id ~= '' and redis.call('HDEL', KEYS[2], id) == 1 then
  changed = 1
  redis.call('ZREM', KEYS[11], key)
  zrem_all(KEYS[4], split(redis.call('HGET', KEYS[3], id), '\2'))
  redis.call('HDEL', KEYS[3], id)
  redis.call('SREM', KEYS[10], id)
  song_remove(id)
  album_refresh(albumId, ARGV[11], ARGV[12], ARGV[13])
  if redis.call('SCARD', KEYS[10]) == 0 then
    local am = redis.call('HGET', KEYS[5], albumId)
    if am then redis.call('ZREM', KEYS[8], am) end
    redis.call('HDEL', KEYS[5], albumId)
    zrem_all(KEYS[9], split(ARGV[9], '\2'))
    if redis.call('ZCARD', KEYS[8]) == 0 then
      local rm = redis.call('HGET', KEYS[5], artistId)
      if rm then redis.call('ZREM', KEYS[6], rm) end
      redis.call('HDEL', KEYS[5], artistId)
      zrem_all(KEYS[7], split(ARGV[8], '\2'))
    end
  end
end
if ARGV[10] ~= '' and redis.call('SREM', KEYS[12], key) == 1 then
  changed = 1
  redis.call('ZREM', KEYS[11], key)
  art_refresh(KEYS[12], KEYS[30], ARGV[10])
end
return changed
