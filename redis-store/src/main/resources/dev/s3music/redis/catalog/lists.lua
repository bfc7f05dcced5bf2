-- Shared by upsert.lua and remove.lua (prepended after guard.lua): the list indexes of CatalogLists (shared-model),
-- kept in the same script as the song write so they never drift. The pick rules and members mirror CatalogLists
-- and InMemoryLists exactly (both catalogs answer alike; the contract suite checks it).
-- KEYS 13..29 (after each script's own 12):
--   13 sf       hash  song id -> "year \2 gk \2 spelling \2 duration \2 addedMs \2 yearMember \2 genreYearMember \2 genreMember"
--   14 s:year   zset  15 s:gyear  zset  16 s:genre  zset      (song members, score 0)
--   17 genres   hash  's\1gk' songs, 'a\1gk' albums whose genre it is, 'n\1gk\1spelling' songs of a spelling
--   18 ag:{album} hash 'n' songs, 'd' seconds, 'y:year', 'g:gk', 's:gk\1spelling' counts of the album's songs
--   19 aa:{album} zset song id by addedAt (epoch ms): the newest is the album's addedAt
--   20 am       hash  album id -> its eight members joined by \2 ('' where none), to remove them on change
--   21 ai       hash  album id -> "albumName \1 artistId \1 artistName \1 songs \1 seconds \1 year \1 genre \1 addedMs \1 gk"
--   22..29     zset  a:name a:artist a:added a:year g:name g:artist g:added g:year (CatalogLists.ALBUM_INDEXES)
--   30 cover    hash  album id -> its preferred art key (AlbumArt.PREFERENCE), kept by art_refresh

local function bytes_lt(a, b)
  -- UTF-8 byte order (= SearchWords.BYTE_ORDER); Lua's '<' follows the server's locale
  if b == nil then return true end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function hincr(key, field, by)
  if by == 0 then return end
  if redis.call('HINCRBY', key, field, by) <= 0 then redis.call('HDEL', key, field) end
end

local function zadd_set(key, member)
  if member ~= nil and member ~= '' then redis.call('ZADD', key, 0, member) end
end

local function zrem_set(key, member)
  if member ~= nil and member ~= '' then redis.call('ZREM', key, member) end
end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- epoch ms of the song json's last field, "addedAt":"2024-03-01T10:00:00[.fff...]Z" (Instant.toString)
local function added_ms(json)
  local y, mo, d, h, mi, s, frac =
    string.match(json, ',"addedAt":"(%d+)%-(%d+)%-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z"}$')
  if not y then return 0 end
  local ms = 0
  if frac ~= '' then ms = tonumber(string.sub(frac .. '00', 1, 3)) end
  local days = days_from_civil(tonumber(y), tonumber(mo), tonumber(d))
  return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(s) * 1000 + ms
end

-- facts: {year, gk, spelling, duration, yearMember, genreYearMember, genreMember} ('' where none)
local function song_add(id, f, addedMs)
  local ms = string.format('%d', addedMs)
  redis.call('HSET', KEYS[13], id, table.concat({f[1], f[2], f[3], f[4], ms, f[5], f[6], f[7]}, '\2'))
  zadd_set(KEYS[14], f[5])
  zadd_set(KEYS[15], f[6])
  zadd_set(KEYS[16], f[7])
  hincr(KEYS[18], 'n', 1)
  hincr(KEYS[18], 'd', tonumber(f[4]))
  if f[1] ~= '' then hincr(KEYS[18], 'y:' .. f[1], 1) end
  if f[2] ~= '' then
    hincr(KEYS[18], 'g:' .. f[2], 1)
    hincr(KEYS[18], 's:' .. f[2] .. '\1' .. f[3], 1)
    hincr(KEYS[17], 's\1' .. f[2], 1)
    hincr(KEYS[17], 'n\1' .. f[2] .. '\1' .. f[3], 1)
  end
  redis.call('ZADD', KEYS[19], addedMs, id)
end

local function song_remove(id)
  local old = redis.call('HGET', KEYS[13], id)
  if not old then return end
  local f = split(old, '\2')
  zrem_set(KEYS[14], f[6])
  zrem_set(KEYS[15], f[7])
  zrem_set(KEYS[16], f[8])
  hincr(KEYS[18], 'n', -1)
  hincr(KEYS[18], 'd', -tonumber(f[4]))
  if f[1] ~= '' then hincr(KEYS[18], 'y:' .. f[1], -1) end
  if f[2] ~= '' then
    hincr(KEYS[18], 'g:' .. f[2], -1)
    hincr(KEYS[18], 's:' .. f[2] .. '\1' .. f[3], -1)
    hincr(KEYS[17], 's\1' .. f[2], -1)
    hincr(KEYS[17], 'n\1' .. f[2] .. '\1' .. f[3], -1)
  end
  redis.call('ZREM', KEYS[19], id)
  redis.call('HDEL', KEYS[13], id)
end

-- Re-derives an album from its counters (CatalogLists pick rules); drops it from every list when it has no song.
-- head: "albumName \1 artistId \1 artistName"; nameHead, artistHead: CatalogLists.nameHead/artistHead
local function album_refresh(albumId, head, nameHead, artistHead)
  local old = redis.call('HGET', KEYS[20], albumId)
  local before = {'', '', '', '', '', '', '', ''}
  if old then
    before = split(old, '\2')
    redis.call('HDEL', KEYS[20], albumId)
  end
  local oldInfo = redis.call('HGET', KEYS[21], albumId)
  if oldInfo then
    local f = split(oldInfo, '\1')
    if f[9] ~= '' then hincr(KEYS[17], 'a\1' .. f[9], -1) end
    redis.call('HDEL', KEYS[21], albumId)
  end
  local n = tonumber(redis.call('HGET', KEYS[18], 'n') or '0')
  if n <= 0 then
    for i = 1, 8 do zrem_set(KEYS[21 + i], before[i]) end
    redis.call('DEL', KEYS[18], KEYS[19])
    return
  end
  local flat = redis.call('HGETALL', KEYS[18])
  local dur, year, yearN, gk, gkN = 0, nil, 0, nil, 0
  local spellings = {}
  for i = 1, #flat, 2 do
    local f, c = flat[i], tonumber(flat[i + 1])
    local t = string.sub(f, 1, 2)
    if f == 'd' then
      dur = c
    elseif t == 'y:' then
      local y = tonumber(string.sub(f, 3))
      if c > 0 and (c > yearN or (c == yearN and y < year)) then year, yearN = y, c end
    elseif t == 'g:' then
      local g = string.sub(f, 3)
      if c > 0 and (c > gkN or (c == gkN and bytes_lt(g, gk))) then gk, gkN = g, c end
    elseif t == 's:' then
      spellings[#spellings + 1] = {string.sub(f, 3), c}
    end
  end
  local spelling = ''
  if gk then
    local prefix, best, bestN = gk .. '\1', nil, 0
    for _, e in ipairs(spellings) do
      if string.sub(e[1], 1, #prefix) == prefix and e[2] > 0 then
        local s = string.sub(e[1], #prefix + 1)
        if e[2] > bestN or (e[2] == bestN and bytes_lt(s, best)) then best, bestN = s, e[2] end
      end
    end
    spelling = best or ''
  end
  local top = redis.call('ZREVRANGE', KEYS[19], 0, 0, 'WITHSCORES')
  local added = tonumber(top[2])
  local yyyy = year and string.format('%04d', year) or '0000'
  local inv = string.format('%013d', 9999999999999 - math.max(0, math.min(added, 9999999999999)))
  local tail = '\1' .. albumId .. '\1' .. yyyy
  local m = {nameHead .. tail, artistHead .. tail, inv .. tail, '', '', '', '', ''}
  if year then m[4] = yyyy .. tail end
  if gk then
    local g = gk .. '\1'
    m[5], m[6], m[7] = g .. m[1], g .. m[2], g .. m[3]
    if year then m[8] = g .. m[4] end
    hincr(KEYS[17], 'a\1' .. gk, 1)
  end
  -- only the members that changed (most writes change one or none)
  for i = 1, 8 do
    if before[i] ~= m[i] then
      zrem_set(KEYS[21 + i], before[i])
      zadd_set(KEYS[21 + i], m[i])
    end
  end
  redis.call('HSET', KEYS[20], albumId, table.concat(m, '\2'))
  redis.call('HSET', KEYS[21], albumId, table.concat({head, n, string.format('%d', dur), year and tostring(year) or '',
    spelling, string.format('%d', added), gk or ''}, '\1'))
end

-- The preferred art key of an album (AlbumArt.PREFERENCE: a "cover" file before others, fewer folders, then byte
-- order) into the cover hash, or none when its art set is empty. Art sets are small (a few images per album).
local function art_refresh(artKey, coverKey, albumId)
  local best, bestCover, bestDepth = nil, nil, nil
  for _, k in ipairs(redis.call('SMEMBERS', artKey)) do
    local name = string.match(k, '[^/]*$')
    local notCover = (string.sub(string.lower(name), 1, 5) == 'cover') and 0 or 1
    local _, depth = string.gsub(k, '/', '')
    if best == nil or notCover < bestCover or (notCover == bestCover and (depth < bestDepth
        or (depth == bestDepth and bytes_lt(k, best)))) then
      best, bestCover, bestDepth = k, notCover, depth
    end
  end
  if best then redis.call('HSET', coverKey, albumId, best) else redis.call('HDEL', coverKey, albumId) end
end
