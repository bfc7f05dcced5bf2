// Drives /rest with the npm subsonic-api client (JSON, token sign-in with a fresh salt per call, POST form bodies,
// API keys). Run by SubsonicClientLibraryTest: node script.mjs <base url> <user> <app password> <api key>.
// Every check throws on a mismatch; the last line printed is a JSON summary the Java test reads.
import assert from 'node:assert/strict';
import { SubsonicAPI } from 'subsonic-api';

const [url, username, password, apiKey] = process.argv.slice(2);
const get = new SubsonicAPI({ url, auth: { username, password } });
const post = new SubsonicAPI({ url, auth: { username, password }, post: true });
const keyed = new SubsonicAPI({ url, auth: { apiKey } });
const summary = {};

function ok(r, what) {
  assert.equal(r.status, 'ok', `${what}: ${JSON.stringify(r.error)}`);
  assert.equal(r.version, '1.16.1');
  assert.equal(r.openSubsonic, true);
  return r;
}

for (const [name, api] of [['get', get], ['post', post], ['apiKey', keyed]]) {
  ok(await api.ping(), `ping (${name})`);
}
const ext = ok(await get.getOpenSubsonicExtensions(), 'extensions');
summary.extensions = ext.openSubsonicExtensions.map((e) => e.name);

const artists = ok(await get.getArtists(), 'getArtists');
const all = artists.artists.index.flatMap((i) => i.artist);
summary.artists = all.map((a) => a.name);
const teacher = all.find((a) => a.name === 'Teacher');
const artist = ok(await post.getArtist({ id: teacher.id }), 'getArtist');
summary.albums = artist.artist.album.map((a) => a.name);
const album = ok(await get.getAlbum({ id: artist.artist.album[0].id }), 'getAlbum');
const songs = album.album.song;
assert.ok(songs[0].created instanceof Date, 'created parses as a date');
summary.songs = songs.map((s) => s.title);

const search = ok(await post.search3({ query: '""', artistCount: 0, albumCount: 0, songCount: 500 }), 'search3');
assert.equal(search.searchResult3.artist.length, 0);
summary.searchSongs = search.searchResult3.song.length;

ok(await post.star({ id: [songs[0].id, songs[1].id] }), 'star');
const starred = ok(await keyed.getStarred2({}), 'getStarred2 (api key)');
summary.starred = starred.starred2.song.map((s) => s.title);

const created = ok(await post.createPlaylist({ name: 'From npm', songId: songs.map((s) => s.id) }), 'createPlaylist');
assert.equal(created.playlist.songCount, songs.length);
const list = ok(await get.getPlaylist({ id: created.playlist.id }), 'getPlaylist');
summary.playlist = list.playlist.entry.map((e) => e.title);

const stream = await get.stream({ id: songs[0].id });
assert.equal(stream.status, 200);
summary.streamBytes = (await stream.arrayBuffer()).byteLength;
const missing = await get.stream({ id: 'so-bm9wZS5tcDM' });
assert.match(missing.headers.get('content-type'), /application\/json/);
summary.missingStream = (await missing.json())['subsonic-response'].error.code;

const wrong = await new SubsonicAPI({ url, auth: { username, password: 'wrong-password' } }).ping();
summary.wrongPassword = wrong.error.code;
const badKey = await new SubsonicAPI({ url, auth: { apiKey: 'not-a-key' } }).ping();
summary.badKey = badKey.error.code;

console.log(JSON.stringify(summary));
