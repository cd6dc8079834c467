// Drives cinemateca's Jellyfin-compatible API with jellyfin-apiclient
// (npm), the client older Jellyfin web and Kodi-era add-ons were built on:
// it speaks the legacy /Users/{userId}/... paths and X-Emby-Authorization.
// A browser bundle: it gets the few browser globals it reads. Prints
// "ok - ..." / "FAIL - ..." lines for tests/integration/jellyfin.sh.
//
// usage: node apiclient.cjs URL USER PASSWORD
globalThis.self = globalThis;
globalThis.window = globalThis;
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
const log = console.log;
console.log = () => {}; // the client narrates every request
const { ApiClient } = require('jellyfin-apiclient');

const [url, user, password] = process.argv.slice(2);
let failed = 0;
const check = (what, cond, detail = '') => {
  if (cond) log(`ok - apiclient: ${what}`);
  else { failed++; log(`FAIL - apiclient: ${what} ${detail}`); }
};

(async () => {
  const { checkModel } = await import('./models.mjs'); // an ES module
  const model = (what, value, name) => {
    const problems = checkModel(value, name);
    check(`${what} is a ${name}`, problems.length === 0, problems.slice(0, 5).join('; '));
  };
  const c = new ApiClient(url, 'cinemateca-tests', '1.0.0', 'node', 'cinemateca-apiclient');
  const auth = await c.authenticateUserByName(user, password);
  model('the sign-in answer', auth, 'AuthenticationResult');
  c.setAuthenticationInfo(auth.AccessToken, auth.User.Id);
  const uid = auth.User.Id;
  const views = await c.getUserViews({}, uid);
  model('the views (/Users/{id}/Views)', views, 'BaseItemDtoQueryResult');
  const items = await c.getItems(uid, { IncludeItemTypes: 'Movie', Recursive: true, SortBy: 'SortName' });
  model('the films (/Users/{id}/Items)', items, 'BaseItemDtoQueryResult');
  const pain = items.Items.find((i) => i.Name === 'Pain and Glory');
  check('Pain and Glory is among them', !!pain);
  const item = await c.getItem(uid, pain.Id);
  model('Pain and Glory (/Users/{id}/Items/{id})', item, 'BaseItemDto');
  check('with its people', item.People.some((p) => p.Name === 'Antonio Banderas' && p.Role === 'Salvador Mallo'));
  const specials = await c.getSpecialFeatures(uid, pain.Id);
  check('its special features (/Users/{id}/Items/{id}/SpecialFeatures)',
    specials.length === item.SpecialFeatureCount && specials.length > 0);
  const info = await c.getPlaybackInfo(pain.Id, { UserId: uid }, { DirectPlayProfiles: [] });
  model('PlaybackInfo', info, 'PlaybackInfoResponse');
  check('an HLS TranscodingUrl', (info.MediaSources[0].TranscodingUrl || '').includes('master.m3u8'));
  await c.reportPlaybackProgress({ ItemId: pain.Id, PositionTicks: 15000000 });
  const resume = await c.getResumableItems(uid, {});
  const r = resume.Items.find((i) => i.Id === pain.Id);
  check('progress reported is in Resume (/Users/{id}/Items/Resume)',
    r?.UserData?.PlaybackPositionTicks === 15000000, `${r?.UserData?.PlaybackPositionTicks}`);
  const played = await c.markPlayed(uid, pain.Id, new Date());
  check('marked played (/Users/{id}/PlayedItems/{id})', played.Played === true);
  const unplayed = await c.markUnplayed(uid, pain.Id);
  check('and unplayed', unplayed.Played === false);
  const fav = await c.updateFavoriteStatus(uid, pain.Id, true);
  check('a favourite (/Users/{id}/FavoriteItems/{id})', fav.IsFavorite === true);
  await c.updateFavoriteStatus(uid, pain.Id, false);
})().catch((e) => {
  failed++;
  log(`FAIL - apiclient: error ${e && (e.status ? `${e.status} ${e.url}` : e.message || e)}`);
}).finally(() => process.exit(failed ? 1 : 0));
