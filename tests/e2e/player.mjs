// player: the web app's own player in Debian's Chromium, as a person uses
// it, against a server started by tests/integration/player_browser.sh with
// one film (65 s, three chapters, an English and a Spanish audio track, an
// English .srt beside it) and two extras.
//   node tests/e2e/player.mjs BASE_URL SCREENSHOT_DIR SERVER_PID
// Prints "ok - ..." / "FAIL - ..." lines, and "audio-master <url>" with the
// master playlist the player asked for after switching to Spanish (the
// shell decodes that rendition with ffmpeg). Stops the server (by the PID
// it was given) for the last scenario: the "not answering" message.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ok, fail, check, done, failOnEscape } from './browser.mjs';

const [, , BASE, SHOTS, SERVER_PID] = process.argv;
if (!BASE || !SHOTS) {
  console.error('usage: node tests/e2e/player.mjs BASE_URL SCREENSHOT_DIR SERVER_PID');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });
failOnEscape('player tests');

const browser = await launch();
const pageErrors = [];
async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}
async function scenario(name, fn) {
  const page = await newPage();
  try {
    await fn(page);
  } catch (err) {
    fail(`${name}: ran to the end`, err.message);
    await page.screenshot({ path: join(SHOTS, `player-${name}-failed.png`) }).catch(() => {});
  } finally {
    await page.close();
  }
}
const playing = (page, after = 0.3) => page.waitForFunction((t) => {
  const v = document.querySelector('.player video');
  return v && v.currentTime > t && !v.paused;
}, after, { timeout: 30000 });

async function openFilm(page) {
  await page.goto(BASE);
  await page.waitForSelector('.grid .card-link');
  await page.click('.card-link:has(.card-title:text-is("Dos Lenguas"))');
  await page.waitForSelector('h1.film-title');
}

await scenario('controls', async (page) => {
  await openFilm(page);
  await page.click('.film-actions .btn-primary');
  await playing(page);
  check('the browser\'s own controls are off', !(await page.$eval('.player video', (v) => v.controls)));
  const names = await page.$$eval('.player .pc [aria-label]', (els) => els.map((e) => e.getAttribute('aria-label')));
  for (const want of ['Seek', 'Pause', 'Back 10 seconds', 'Forward 10 seconds', 'Mute', 'Volume', 'Audio track',
    'Subtitles', 'Speed', 'Quality', 'Full screen']) {
    check(`a control named "${want}"`, names.includes(want), names.join(', '));
  }
  const time = await page.textContent('.pc-time');
  check('time and length shown', /\d:\d\d \/ 1:05/.test(time), time);
  check('remaining time shown', /^−\d:\d\d$/.test(await page.textContent('.pc-remaining')));
  // Keyboard: space pauses, → skips 10 s, m mutes.
  await page.focus('.player');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.player video').paused);
  check('Space pauses, and the button says Play', (await page.getAttribute('.pc-play', 'aria-label')) === 'Play');
  const t0 = await page.$eval('.player video', (v) => v.currentTime);
  await page.keyboard.press('ArrowRight');
  const t1 = await page.$eval('.player video', (v) => v.currentTime);
  check('→ skips 10 seconds', Math.abs(t1 - t0 - 10) < 1, `${t0} -> ${t1}`);
  await page.click('.pc-back');
  const t2 = await page.$eval('.player video', (v) => v.currentTime);
  check('the back button goes 10 seconds back', Math.abs(t1 - t2 - 10) < 1, `${t1} -> ${t2}`);
  await page.keyboard.press('m');
  check('m mutes', await page.$eval('.player video', (v) => v.muted));
  check('the slider says where it is', /second/.test(await page.getAttribute('.pc-seek', 'aria-valuetext')));
  // Speed through its menu.
  await page.click('.pc-menu-button[aria-label=Speed]');
  await page.click('.pc-menu-item:text-is("1.5×")');
  check('speed 1.5× from the menu', (await page.$eval('.player video', (v) => v.playbackRate)) === 1.5);
  // Chapter marks on the seek bar (20 s and 45 s; the one at 0 is the start).
  await page.waitForFunction(() => document.querySelectorAll('.pc-mark-chapter').length === 2, null, { timeout: 10000 });
  const marks = await page.$$eval('.pc-mark-chapter', (els) => els.map((e) => `${e.title}@${Math.round(Number(e.dataset.at))}`));
  check('chapter marks at 20 s and 45 s, named', marks.join(' ') === 'The Middle@20 End Credits@45', marks.join(' '));
  // Hovering the seek bar shows the frame from the sheet and the time.
  const box = await (await page.$('.pc-seek-track')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.waitForSelector('.pc-preview:not([hidden]) .pc-preview-frame:not([hidden])', { timeout: 10000 });
  const bg = await page.$eval('.pc-preview-frame', (e) => [e.style.backgroundImage, e.style.backgroundPosition, e.offsetWidth, e.offsetHeight]);
  check('a preview thumbnail from the trickplay sheet while hovering', /trickplay-0\.jpg/.test(bg[0]) && bg[2] === 160 && bg[3] === 90, bg.join(' '));
  // 50% of 65 s = 32.5 s: tile 3 (30-40 s), the fourth column.
  check('the thumbnail is the frame for the time under the pointer', bg[1] === '-480px 0px', bg[1]);
  check('the preview names the chapter', (await page.textContent('.pc-preview-title')) === 'The Middle');
  const loaded = await page.evaluate((src) => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(`${img.naturalWidth}x${img.naturalHeight}`);
    img.onerror = () => resolve('error');
    img.src = src;
  }), bg[0].replace(/^url\("?|"?\)$/g, ''));
  check('the sheet loads in the browser', loaded === '1600x90', loaded);
  await page.screenshot({ path: join(SHOTS, 'player-preview.png') });
  await page.mouse.move(box.x + box.width * 0.3, box.y - 200);
  await page.screenshot({ path: join(SHOTS, 'player-controls.png') });
});

await scenario('subtitles', async (page) => {
  await openFilm(page);
  await page.click('.film-actions .btn-primary');
  await playing(page);
  check('the film starts in direct play', await page.$eval('.player video', (v) => v.currentSrc.includes('/stream')));
  // One step: the menu lists the subtitles while still in direct play.
  await page.click('.pc-menu-button[aria-label=Subtitles]');
  await page.waitForSelector('.pc-menu:not([hidden]) .pc-menu-item:text-is("English")');
  check('the subtitle menu lists English before any switch', await page.$eval('.player video', (v) => v.currentSrc.includes('/stream')));
  await page.click('.pc-menu:not([hidden]) .pc-menu-item:text-is("English")');
  await page.waitForFunction(() => Array.from(document.querySelector('.player video').textTracks)
    .some((t) => t.mode === 'showing' && t.activeCues && Array.from(t.activeCues).some((c) => c.text.includes('Hello'))), null, { timeout: 30000 });
  ok('choosing English shows its cue on the picture');
  await page.screenshot({ path: join(SHOTS, 'player-subtitles.png') });
});

await scenario('audio', async (page) => {
  const masters = [];
  page.on('request', (r) => { if (r.url().includes('/hls/master.m3u8')) masters.push(r.url()); });
  await openFilm(page);
  await page.click('.film-actions .btn-primary');
  await playing(page);
  await page.click('.pc-menu-button[aria-label="Audio track"]');
  const items = await page.$$eval('.pc-menu:not([hidden]) .pc-menu-item', (els) => els.map((e) => [e.textContent, e.getAttribute('aria-checked')]));
  check('the audio menu lists English (playing) and Spanish', items.length === 3 &&
    /^English/.test(items[0][0]) && items[0][1] === 'true' && /^Spanish/.test(items[1][0]), JSON.stringify(items));
  check('the commentary is labelled and not chosen', /Commentary/.test(items[2][0]) && items[2][1] === 'false', JSON.stringify(items));
  await page.click('.pc-menu:not([hidden]) .pc-menu-item:has-text("Spanish")');
  await page.waitForFunction(() => !document.querySelector('.player video').currentSrc.includes('/stream'), null, { timeout: 20000 });
  await playing(page, 0.5);
  const master = masters.find((u) => /[?&]audio=\d/.test(u));
  check('switching to Spanish asks the server for its rendition (audio=N)', !!master, masters.join(' '));
  if (master) console.log(`audio-master ${master}`);
  await page.click('.pc-menu-button[aria-label="Audio track"]');
  const now = await page.$eval('.pc-menu:not([hidden]) [aria-checked=true]', (e) => e.textContent);
  check('the menu then shows Spanish as playing', /^Spanish/.test(now), now);
});

await scenario('upnext', async (page) => {
  await openFilm(page);
  await page.click('.extra-play:has-text("First Look")');
  await page.waitForSelector('.player-upnext', { timeout: 30000 });
  const title = await page.textContent('.player-upnext-title');
  check('at the end of an extra, the next extra of the film is up next', title === 'Second Look', title);
  const c1 = Number(await page.textContent('.player-upnext-count'));
  await page.waitForFunction((c) => Number(document.querySelector('.player-upnext-count').textContent) < c, c1);
  ok('the up-next countdown counts down');
  await page.screenshot({ path: join(SHOTS, 'player-upnext.png') });
  await page.waitForFunction(() => document.querySelector('.player-title').textContent.includes('Second Look'), null, { timeout: 20000 });
  await playing(page, 0.2);
  ok('when it reaches zero, the next extra plays');
  // The end of the film offers its extras.
  await page.keyboard.press('Escape');
  await page.click('.film-actions .btn-primary');
  await playing(page);
  await page.evaluate(() => { document.querySelector('.player video').currentTime = 63.5; });
  await page.waitForSelector('.player-offers', { timeout: 30000 });
  const offers = await page.$$eval('.player-offer', (els) => els.map((e) => e.textContent));
  check('at the end of the film, its extras are offered', offers.some((t) => t.includes('First Look')) && offers.some((t) => t.includes('Second Look')), offers.join(', '));
  await page.screenshot({ path: join(SHOTS, 'player-offers.png') });
});

await scenario('offline', async (page) => {
  await openFilm(page);
  await page.click('.film-actions .btn-primary');
  await playing(page);
  // Streamed in pieces (HLS through the transcoded quality), so most of it
  // is not in the browser yet when the server goes away.
  await page.click('.pc-menu-button[aria-label=Quality]');
  await page.click('.pc-menu:not([hidden]) .pc-menu-item:has-text("Transcoded")');
  await page.waitForFunction(() => !document.querySelector('.player video').currentSrc.includes('/stream'), null, { timeout: 20000 });
  await playing(page, 0.5);
  if (!SERVER_PID) throw new Error('no server pid given');
  process.kill(Number(SERVER_PID), 'SIGTERM');
  ok('the server is stopped mid-play');
  await page.evaluate(() => { document.querySelector('.player video').currentTime = 55; });
  await page.waitForSelector('.player-message:not([hidden])', { timeout: 60000 });
  const text = await page.textContent('.player-message');
  check('the player says "cinemateca is not answering"', text.includes('cinemateca is not answering'), text);
  check('and does not blame the file', !/could not (play|decode)|damaged|moved or deleted/.test(text), text);
  check('and offers to try again', await page.isVisible('.player-retry'));
  await page.screenshot({ path: join(SHOTS, 'player-offline.png') });
});

check('no script errors on the page', pageErrors.length === 0, pageErrors.join(' | '));
await browser.close();
done();
