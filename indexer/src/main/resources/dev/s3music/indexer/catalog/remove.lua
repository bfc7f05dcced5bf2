-- ARGV: 1 prefix, 2 key, 3 mode, 4 sequencer, 5 since, 6 songId ('' when not a song), 7 artistId, 8 albumId,
-- 9 artist entries, 10 album entries, 11 album id of art ('' when not art)
-- Returns 1 when something was removed, 0 when nothing was there, -1 when the guard refused the write.
local p, key = ARGV[1], ARGV[2]
if not admit(p, key, ARGV[3], ARGV[4], ARGV[5]) then return -1 end
local changed = 0
local id, artistId, albumId = ARGV[6], ARGV[7], ARGV[8]
if id ~= '' and redis.call('HDEL', p .. 'songs', id) == 1 then
  changed = 1
  redis.call('ZREM', p .. 'keys', key)
  zrem_all(p .. 'ix:song', split(redis.call('HGET', p .. 'ixe', id), '\2'))
  redis.call('HDEL', p .. 'ixe', id)
  redis.call('SREM', p .. 'album:' .. albumId, id)
  if redis.call('SCARD', p .. 'album:' .. albumId) == 0 then
    local am = redis.call('HGET', p .. 'member', albumId)
    if am then redis.call('ZREM', p .. 'albums:' .. artistId, am) end
    redis.call('HDEL', p .. 'member', albumId)
    zrem_all(p .. 'ix:album', split(ARGV[10], '\2'))
    if redis.call('ZCARD', p .. 'albums:' .. artistId) == 0 then
      local rm = redis.call('HGET', p .. 'member', artistId)
      if rm then redis.call('ZREM', p .. 'artists', rm) end
      redis.call('HDEL', p .. 'member', artistId)
      zrem_all(p .. 'ix:artist', split(ARGV[9], '\2'))
    end
  end
end
local artAlbum = ARGV[11]
if artAlbum ~= '' and redis.call('SREM', p .. 'art:' .. artAlbum, key) == 1 then
  changed = 1
  redis.call('ZREM', p .. 'keys', key)
end
return changed
