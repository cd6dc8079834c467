// Drives cinemateca's Jellyfin-compatible API with @jellyfin/sdk, the
// TypeScript SDK generated from Jellyfin's own OpenAPI description, and
// checks every answer the SDK reads against the SDK's model declarations
// (models.mjs). Prints "ok - ..." / "FAIL - ..." lines for
// tests/integration/jellyfin.sh.
//
// usage: node sdk.mjs URL USER PASSWORD OUTDIR [list]
//   full run: sign in, views, films, Pain and Glory with its special
//   features and people, PlaybackInfo, a direct-play range, the HLS
//   master's URL (into OUTDIR/hls.url for ffmpeg), progress, Resume.
//   list: sign in and write the film titles the user sees, sorted, to
//   OUTDIR/USER.titles.json.
import { writeFileSync } from 'node:fs';
import { Jellyfin } from '@jellyfin/sdk';
import {
  getGenreApi, getImageApi, getLibraryApi, getMediaInfoApi, getPersonApi, getSearchApi,
  getSessionApi, getSubtitleApi, getSystemApi, getUserApi, getUserDataApi, getUserViewApi,
} from '@jellyfin/sdk/lib/utils/api/index.js';
import { checkModel } from './models.mjs';

const [url, user, password, outDir, mode] = process.argv.slice(2);
let failed = 0;
const ok = (what) => console.log(`ok - sdk: ${what}`);
const fail = (what) => { failed++; console.log(`FAIL - sdk: ${what}`); };
const check = (what, cond, detail = '') => (cond ? ok(what) : fail(`${what} ${detail}`));
const model = (what, value, name) => {
  const problems = checkModel(value, name);
  check(`${what} is a ${name}`, problems.length === 0, problems.slice(0, 5).join('; '));
};

const jellyfin = new Jellyfin({
  clientInfo: { name: 'cinemateca-tests', version: '1.0.0' },
  deviceInfo: { name: 'integration', id: `cinemateca-test-${user}` },
});
const api = jellyfin.createApi(url);

async function main() {
  const info = (await getSystemApi(api).getPublicSystemInfo()).data;
  if (mode !== 'list') {
    model('public system info', info, 'PublicSystemInfo');
    const major = (info.Version || '').split('.').map(Number);
    check('an advertised version current clients accept (10.10 or later)',
      major[0] === 10 && major[1] >= 10, info.Version);
  }
  const auth = (await api.authenticateUserByName(user, password)).data;
  api.update({ accessToken: auth.AccessToken });
  const userId = auth.User.Id;
  if (mode !== 'list') {
    model('the sign-in answer', auth, 'AuthenticationResult');
    check('the access token is one of our sessions (43 characters)', auth.AccessToken?.length === 43);
    const me = (await getUserApi(api).getCurrentUser()).data;
    model('/Users/Me', me, 'UserDto');
    check('/Users/Me is the signed-in user', me.Id === userId && me.Name === user);
  }
  const views = (await getUserViewApi(api).getUserViews({ userId })).data;
  const films = [];
  for (const view of views.Items) {
    const page = (await getLibraryApi(api).getItems({
      userId, parentId: view.Id, includeItemTypes: ['Movie'], recursive: true,
      sortBy: ['SortName'], fields: ['PrimaryImageAspectRatio', 'Genres'],
    })).data;
    if (mode !== 'list') model(`the films of view ${view.Name}`, page, 'BaseItemDtoQueryResult');
    films.push(...page.Items);
  }
  if (mode === 'list') {
    writeFileSync(`${outDir}/${user}.titles.json`,
      JSON.stringify(films.map((f) => f.Name).sort()));
    return;
  }
  model('the views', views, 'BaseItemDtoQueryResult');
  check('every view is a movies collection',
    views.Items.length > 0 && views.Items.every((v) => v.CollectionType === 'movies'));
  const all = (await getLibraryApi(api).getItems({
    userId, includeItemTypes: ['Movie'], recursive: true, sortBy: ['SortName'],
  })).data;
  check('the views hold every film once', films.length === all.TotalRecordCount,
    `${films.length} vs ${all.TotalRecordCount}`);
  const names = all.Items.map((f) => f.Name);
  // SortName is the shelf's key (leading articles dropped, accents folded,
  // numbers padded), compared byte by byte as the catalog sorts it.
  const keys = all.Items.map((f) => f.SortName);
  check('sorted by name', keys.every((k, i) => typeof k === 'string' && (i === 0 || keys[i - 1] <= k)),
    names.join(', '));
  check('"The" does not shelve a film under T',
    all.Items.some((f) => /^The /.test(f.Name)) && all.Items.every((f) => !/^the /.test(f.SortName)),
    keys.join(' | '));
  const pain = all.Items.find((f) => f.Name === 'Pain and Glory');
  check('Pain and Glory is among the films', !!pain);
  if (!pain) return;

  const item = (await getLibraryApi(api).getItem({ itemId: pain.Id, userId })).data;
  model('Pain and Glory', item, 'BaseItemDto');
  check('its original title', item.OriginalTitle === 'Dolor y gloria', item.OriginalTitle);
  check('its year and premiere', item.ProductionYear === 2019 &&
    (item.PremiereDate || '').startsWith('2019-'), `${item.ProductionYear} ${item.PremiereDate}`);
  check('an overview and a tagline', (item.Overview || '').length > 50 && item.Taglines?.length === 1);
  const director = item.People?.find((p) => p.Type === 'Director');
  check('its director', director?.Name === 'Pedro Almodóvar', JSON.stringify(director));
  const banderas = item.People?.find((p) => p.Name === 'Antonio Banderas');
  check('Antonio Banderas plays Salvador Mallo',
    banderas?.Type === 'Actor' && banderas?.Role === 'Salvador Mallo', JSON.stringify(banderas));
  check('its composer', item.People?.some((p) => p.Type === 'Composer'));
  check('a runtime in ticks', item.RunTimeTicks > 0 && Number.isInteger(item.RunTimeTicks));
  check('a poster tag', typeof item.ImageTags?.Primary === 'string');
  check('a media source', item.MediaSources?.length >= 1);
  check('user data', item.UserData?.Key === item.Id);

  const specials = (await getLibraryApi(api).getSpecialFeatures({ itemId: item.Id, userId })).data;
  specials.forEach((s, i) => model(`special feature ${i}`, s, 'BaseItemDto'));
  check('special features as many as SpecialFeatureCount',
    specials.length === item.SpecialFeatureCount && specials.length > 0,
    `${specials.length} vs ${item.SpecialFeatureCount}`);
  check('each special feature has its ExtraType',
    specials.every((s) => s.ExtraType && s.ExtraType !== 'Trailer'),
    specials.map((s) => s.ExtraType).join(','));
  check('an interview among them', specials.some((s) => s.ExtraType === 'Interview'));
  const trailers = (await getLibraryApi(api).getLocalTrailers({ itemId: item.Id, userId })).data;
  trailers.forEach((s, i) => model(`trailer ${i}`, s, 'BaseItemDto'));
  check('local trailers as many as LocalTrailerCount',
    trailers.length === item.LocalTrailerCount && trailers.every((t) => t.ExtraType === 'Trailer'));

  // Extras' pictures: a still from each one's trickplay sheets
  // (jellyfin.sh waits for the background pass to make them first).
  const extras = [...specials, ...trailers];
  check('every extra has a Primary image tag',
    extras.length > 1 && extras.every((s) => typeof s.ImageTags?.Primary === 'string'),
    JSON.stringify(extras.map((s) => s.ImageTags)));
  const imageOf = async (itemId, tag) => {
    const res = await getImageApi(api).getItemImage({ itemId, imageType: 'Primary', tag },
      { responseType: 'arraybuffer' });
    return { status: res.status, type: String(res.headers['content-type'] || ''),
      bytes: new Uint8Array(res.data) };
  };
  for (const x of extras.slice(0, 2)) {
    const still = await imageOf(x.Id, x.ImageTags?.Primary);
    check(`the still of extra "${x.Name}" (a JPEG)`, still.status === 200 &&
      still.type.startsWith('image/jpeg') && still.bytes[0] === 0xff && still.bytes[1] === 0xd8,
      `${still.status} ${still.type}`);
    writeFileSync(`${outDir}/still-${extras.indexOf(x)}.jpg`, still.bytes);
  }
  check('the SDK builds an extra\'s image URL from its tag',
    (getImageApi(api).getItemImageUrl(extras[0]) || '').includes(`tag=${extras[0].ImageTags?.Primary}`));

  // People: /Persons items carry their photo's tag when the catalog has
  // the photo on disk, and the same Images/Primary route serves it.
  const persons = (await getPersonApi(api).getPersons({ searchTerm: 'Tomas Ferre', userId })).data;
  model('/Persons', persons, 'BaseItemDtoQueryResult');
  const tomas = persons.Items.find((p) => p.Name === 'Tomas Ferre');
  check('/Persons: a person with a photo has ImageTags.Primary',
    typeof tomas?.ImageTags?.Primary === 'string',
    JSON.stringify(tomas));
  if (tomas) {
    const photo = await imageOf(tomas.Id, tomas.ImageTags?.Primary);
    check('and the SDK fetches the photo', photo.status === 200 && photo.type.startsWith('image/jpeg'),
      `${photo.status} ${photo.type}`);
    writeFileSync(`${outDir}/person.jpg`, photo.bytes);
  }
  const ada = (await getPersonApi(api).getPersons({ searchTerm: 'Ada Quill', userId })).data.Items
    .find((p) => p.Name === 'Ada Quill');
  check('/Persons: a person without a photo on disk has no tag',
    !!ada && !ada.ImageTags?.Primary, JSON.stringify(ada));
  const everyone = (await getPersonApi(api).getPersons({ userId, limit: 1000 })).data;
  check('/Persons without a search lists Tomas Ferre with his tag',
    everyone.Items.some((p) => p.Name === 'Tomas Ferre' && p.ImageTags?.Primary === tomas?.ImageTags?.Primary),
    `${everyone.TotalRecordCount} people`);

  const similar = (await getLibraryApi(api).getSimilarItems({ itemId: item.Id, userId })).data;
  model('similar items', similar, 'BaseItemDtoQueryResult');
  check('similar films exclude the film itself', similar.Items.every((s) => s.Id !== item.Id));
  const hints = (await getSearchApi(api).getSearchHints({ searchTerm: 'almodovar', userId })).data;
  model('search hints', hints, 'SearchHintResult');
  check('search finds Pain and Glory by its director',
    hints.SearchHints.some((h) => h.Id === item.Id));

  // Playback: a device that plays MP4/MKV with H.264 and AAC directly.
  const direct = (await getMediaInfoApi(api).getPostedPlaybackInfo({
    itemId: item.Id, userId,
    playbackInfoDto: { DeviceProfile: { DirectPlayProfiles: [
      { Type: 'Video', Container: 'mp4,m4v,mkv', VideoCodec: 'h264', AudioCodec: 'aac' }] } },
  })).data;
  model('PlaybackInfo (direct)', direct, 'PlaybackInfoResponse');
  const source = direct.MediaSources[0];
  check('direct play offered to a device that can', source.SupportsDirectPlay === true);
  check('media streams with a video and an audio track',
    source.MediaStreams.some((s) => s.Type === 'Video') &&
    source.MediaStreams.some((s) => s.Type === 'Audio'));
  const none = (await getMediaInfoApi(api).getPostedPlaybackInfo({
    itemId: item.Id, userId,
    playbackInfoDto: { DeviceProfile: { DirectPlayProfiles: [] } },
  })).data;
  model('PlaybackInfo (transcode)', none, 'PlaybackInfoResponse');
  const hls = none.MediaSources[0];
  check('HLS offered to a device that plays nothing directly',
    hls.SupportsDirectPlay === false && (hls.TranscodingUrl || '').includes('master.m3u8') &&
    hls.TranscodingSubProtocol === 'hls');
  writeFileSync(`${outDir}/hls.url`, url + hls.TranscodingUrl);

  const streamUrl = `${url}/Videos/${item.Id}/stream?static=true&mediaSourceId=${source.Id}`;
  const ranged = await fetch(streamUrl, {
    headers: { Authorization: api.authorizationHeader, Range: 'bytes=100-1123' },
  });
  const body = new Uint8Array(await ranged.arrayBuffer());
  check('a direct-play range (206, 1024 bytes)', ranged.status === 206 && body.length === 1024,
    `${ranged.status} ${body.length}`);
  check('its Content-Range', /^bytes 100-1123\/\d+$/.test(ranged.headers.get('content-range') || ''));
  const anonymous = await fetch(streamUrl, { headers: { Range: 'bytes=0-9' } });
  check('no stream without credentials (401)', anonymous.status === 401, `${anonymous.status}`);
  writeFileSync(`${outDir}/direct.url`, `${streamUrl}&api_key=${api.accessToken}`);

  const image = await fetch(`${url}/Items/${item.Id}/Images/Primary?tag=${item.ImageTags.Primary}&maxWidth=120`,
    { headers: { Authorization: api.authorizationHeader } });
  check('its poster (image/jpeg)', image.status === 200 &&
    (image.headers.get('content-type') || '').startsWith('image/'), `${image.status}`);

  // Watch state: a start, a progress report 2 s in (the demo's films last
  // a few seconds), then the film is in Resume at that position.
  const media = source.Id;
  const start = await getSessionApi(api).reportPlaybackStart({
    playbackStartInfo: { ItemId: item.Id, MediaSourceId: media, PositionTicks: 0 } });
  check('playback start reported (204)', start.status === 204);
  const progress = await getSessionApi(api).reportPlaybackProgress({
    playbackProgressInfo: { ItemId: item.Id, MediaSourceId: media, PositionTicks: 20000000 } });
  check('progress reported (204)', progress.status === 204);
  const resume = (await getLibraryApi(api).getResumeItems({ userId })).data;
  model('Resume', resume, 'BaseItemDtoQueryResult');
  const resumed = resume.Items.find((i) => i.Id === item.Id);
  check('the film is in Resume', !!resumed);
  check('at the reported position', resumed?.UserData?.PlaybackPositionTicks === 20000000,
    `${resumed?.UserData?.PlaybackPositionTicks}`);
  writeFileSync(`${outDir}/pain.id`, item.Id);

  const fav = (await getUserDataApi(api).markFavoriteItem({ itemId: item.Id, userId })).data;
  model('favourite mark', fav, 'UserItemDataDto');
  check('marked a favourite', fav.IsFavorite === true);
  const favs = (await getLibraryApi(api).getItems({ userId, filters: ['IsFavorite'],
    includeItemTypes: ['Movie'], recursive: true })).data;
  check('found among favourites', favs.Items.length === 1 && favs.Items[0].Id === item.Id);
  const unfav = (await getUserDataApi(api).unmarkFavoriteItem({ itemId: item.Id, userId })).data;
  check('and unmarked', unfav.IsFavorite === false);

  // Lists mean any of their values (as in Jellyfin), whichever way the
  // client sends them: the SDK repeats the parameter, others join with
  // '|' or ','.
  const ids = async (params) => (await getLibraryApi(api).getItems({
    userId, includeItemTypes: ['Movie'], recursive: true, ...params })).data.Items.map((i) => i.Id).sort();
  const union = (a, b) => [...new Set([...a, ...b])].sort();
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const genres = (await getGenreApi(api).getGenres({ userId })).data.Items.map((g) => g.Name);
  const [g1, g2] = genres;
  const inG1 = await ids({ genres: [g1] }), inG2 = await ids({ genres: [g2] });
  const both = await ids({ genres: [g1, g2] });
  check(`Genres=${g1},${g2}: films of either`, inG1.length > 0 && inG2.length > 0 &&
    same(both, union(inG1, inG2)) && both.length > Math.min(inG1.length, inG2.length),
    `${inG1.length} + ${inG2.length} -> ${both.length}`);
  const piped = (await (await fetch(`${url}/Items?Recursive=true&IncludeItemTypes=Movie&Genres=${
    encodeURIComponent(`${g1}|${g2}`)}`, { headers: { Authorization: api.authorizationHeader } })).json())
    .Items.map((i) => i.Id).sort();
  check('Genres joined by | says the same', same(piped, both));
  const years = [...new Set(all.Items.map((f) => f.ProductionYear).filter(Boolean))];
  const inY1 = await ids({ years: [years[0]] }), inY2 = await ids({ years: [years[1]] });
  check(`Years=${years[0]},${years[1]}: films of either year`,
    same(await ids({ years: [years[0], years[1]] }), union(inY1, inY2)) && inY1.length > 0 && inY2.length > 0);
  const other = all.Items.find((f) => f.Id !== item.Id);
  const otherItem = (await getLibraryApi(api).getItem({ itemId: other.Id, userId })).data;
  const p1 = item.People.find((p) => p.Type === 'Director'), p2 = otherItem.People?.[0];
  if (p2) {
    const byP1 = await ids({ personIds: [p1.Id] }), byP2 = await ids({ personIds: [p2.Id] });
    check('PersonIds=a,b: films of either person', byP1.includes(item.Id) && byP2.includes(other.Id) &&
      same(await ids({ personIds: [p1.Id, p2.Id] }), union(byP1, byP2)));
  } else {
    fail(`${other.Name} has no people to filter by`);
  }
  const two = (await getLibraryApi(api).getItems({ userId, ids: [item.Id, other.Id] })).data;
  check('Ids=a,b: both items, in that order',
    two.Items.length === 2 && two.Items[0].Id === item.Id && two.Items[1].Id === other.Id);
  check('a genre and a year together: films of both',
    same(await ids({ genres: [g1], years: [years[0], years[1]] }),
      inG1.filter((id) => inY1.includes(id) || inY2.includes(id))));
  const typed = await ids({ includeItemTypes: ['Series', 'Movie'] });
  check('IncludeItemTypes=Series,Movie: the films', typed.length === all.TotalRecordCount);

  // Subtitles: Quiet Engines has a Spanish track in its Matroska file and
  // an English sidecar .srt. A device that takes SubRip as a separate file
  // gets Stream.srt URLs, and the SDK's own call fetches both forms.
  const quiet = all.Items.find((f) => f.Name === 'Quiet Engines');
  check('Quiet Engines is among the films', !!quiet);
  if (quiet) {
    const info = (await getMediaInfoApi(api).getPostedPlaybackInfo({
      itemId: quiet.Id, userId,
      playbackInfoDto: { DeviceProfile: {
        DirectPlayProfiles: [{ Type: 'Video', Container: 'mkv', VideoCodec: 'h264', AudioCodec: 'aac' }],
        SubtitleProfiles: [{ Format: 'srt', Method: 'External' }] } },
    })).data;
    model('PlaybackInfo (subtitles)', info, 'PlaybackInfoResponse');
    const qs = info.MediaSources[0];
    const subs = qs.MediaStreams.filter((m) => m.Type === 'Subtitle');
    check('two subtitle streams (embedded and sidecar)', subs.length === 2 &&
      subs.some((m) => m.IsExternal) && subs.some((m) => !m.IsExternal), JSON.stringify(subs));
    check('each delivered as SubRip to a device that asks for it',
      subs.every((m) => m.DeliveryMethod === 'External' && /\/Stream\.srt\?/.test(m.DeliveryUrl || '')),
      subs.map((m) => m.DeliveryUrl).join(' '));
    for (const m of subs) {
      const res = await fetch(url + m.DeliveryUrl); // signed: no header, as a player fetches it
      const text = await res.text();
      const want = m.IsExternal ? 'The engines have stopped.' : 'Los motores se han parado.';
      check(`the ${m.IsExternal ? 'sidecar' : 'embedded'} track's DeliveryUrl serves SubRip`,
        res.status === 200 && /^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\r?\n/.test(text) &&
        text.includes(want) && !text.includes('WEBVTT'), `${res.status} ${text.slice(0, 80)}`);
    }
    const sub = subs.find((m) => m.IsExternal);
    const srt = await getSubtitleApi(api).getSubtitle({ routeItemId: quiet.Id, routeMediaSourceId: qs.Id,
      routeIndex: sub.Index, routeFormat: 'srt' }, { responseType: 'text' });
    check('the SDK fetches Stream.srt', srt.status === 200 && String(srt.data).includes('3\n00:00:05,000 --> 00:00:06,000\nThen who is singing?'),
      String(srt.data).slice(0, 120));
    const vtt = await getSubtitleApi(api).getSubtitleWithTicks({ routeItemId: quiet.Id,
      routeMediaSourceId: qs.Id, routeIndex: sub.Index, routeStartPositionTicks: 0, routeFormat: 'vtt' },
      { responseType: 'text' });
    check('and Stream.vtt with start ticks in the path', vtt.status === 200 &&
      String(vtt.data).startsWith('WEBVTT') && String(vtt.data).includes('Then who is singing?'));
    const plain = (await getMediaInfoApi(api).getPostedPlaybackInfo({ itemId: quiet.Id, userId,
      playbackInfoDto: { DeviceProfile: { DirectPlayProfiles: [] } } })).data;
    check('WebVTT URLs otherwise', plain.MediaSources[0].MediaStreams.filter((m) => m.Type === 'Subtitle')
      .every((m) => /\/Stream\.vtt\?/.test(m.DeliveryUrl || '')));
    const missing = await fetch(`${url}/Videos/${quiet.Id}/${qs.Id}/Subtitles/99/Stream.srt`,
      { headers: { Authorization: api.authorizationHeader } });
    check('a subtitle index that does not exist: 404', missing.status === 404, `${missing.status}`);
    const odd = await fetch(`${url}/Videos/${quiet.Id}/${qs.Id}/Subtitles/${sub.Index}/Stream.ass`,
      { headers: { Authorization: api.authorizationHeader } });
    check('a format we do not serve: 404', odd.status === 404, `${odd.status}`);
  }
}

main().catch((e) => {
  fail(`error: ${e.message} ${e.response ? `${e.response.status} ${e.config?.url}` : ''}`);
}).finally(() => process.exit(failed ? 1 : 0));
