// End-to-end: a disc film's page in Debian's Chromium. A viewer sees no
// disc-title control; an admin sees the disc's titles, the player's seek
// bar carries the disc title's chapter marks (from the Blu-ray playlist's
// marks), and choosing another title writes it and, after the rescan,
// shows it as the film.
// The DVD's picture subtitles are offered in the player's Subtitles menu
// as burned in, and choosing them plays the server's burned-in rendition.
// usage: node tests/e2e/disc.mjs BASE_URL SCREENSHOT_DIR FILM_ID ADMIN_SESSION VIEWER_SESSION DVD_FILM_ID
import { join } from 'node:path';
import { launch, ok, fail, check, done } from './browser.mjs';

const [, , BASE, SHOTS, FILM, ADMIN, VIEWER, DVD] = process.argv;
if (!DVD) {
  console.error('usage: node tests/e2e/disc.mjs BASE_URL SCREENSHOT_DIR FILM_ID ADMIN_SESSION VIEWER_SESSION DVD_FILM_ID');
  process.exit(2);
}

const browser = await launch();
async function as(session) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const { hostname } = new URL(BASE);
  await context.addCookies([{ name: 'cinemateca_session', value: session, domain: hostname, path: '/' }]);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

try {
  const viewer = await as(VIEWER);
  await viewer.page.goto(`${BASE}/film/${FILM}`);
  await viewer.page.waitForSelector('h1.film-title');
  check('a viewer sees the disc film', true);
  check('... without the disc-title control', (await viewer.page.$('#disc-title')) === null);

  // The DVD's VobSub track, burned in from the Subtitles menu.
  const vp = viewer.page;
  await vp.goto(`${BASE}/film/${DVD}`);
  await vp.waitForSelector('h1.film-title');
  await vp.click('.film-actions .btn-primary');
  await vp.waitForSelector('.player');
  await vp.waitForSelector('.pc-menu-item:text-is("French (burned in)")', { state: 'attached', timeout: 30000 })
    .then(() => ok('the Subtitles menu offers the French picture subtitles, burned in'),
      (e) => fail('the Subtitles menu offers the French picture subtitles, burned in', e));
  const burnedMedia = vp.waitForRequest((r) => /\/media\.m3u8\?o=[^&]*-b2$/.test(r.url()), { timeout: 60000 })
    .then(() => true, () => false);
  const burnedMaster = vp.waitForRequest((r) => /master\.m3u8\?.*burn=2/.test(r.url()), { timeout: 60000 })
    .then(() => true, () => false);
  await vp.click('.pc-menu-button[aria-label=Subtitles]');
  await vp.click('.pc-menu-item:text-is("French (burned in)")');
  check('choosing them asks the server for burn=2', await burnedMaster);
  check('... and plays its burned-in rendition', await burnedMedia);
  // Played (a switch keeps play or pause as it was; here it may not have started yet).
  await vp.waitForFunction(() => {
    const v = document.querySelector('.player video');
    if (v.paused) v.play().catch(() => {});
    return v.currentTime > 2.5;
  }, null, { timeout: 60000, polling: 500 })
    .then(() => ok('the burned-in rendition plays'), (e) => fail('the burned-in rendition plays', e));
  await vp.screenshot({ path: join(SHOTS, 'disc-burned-in.png') });
  await viewer.context.close();

  const { page, errors } = await as(ADMIN);
  await page.goto(`${BASE}/film/${FILM}`);
  await page.waitForSelector('h1.film-title');
  check('an admin sees the disc-title control', await page.isVisible('#disc-title'));
  await page.click('#disc-title summary');
  await page.waitForFunction(() => document.querySelectorAll('#disc-title-select option').length === 3);
  const options = await page.$$eval('#disc-title-select option', (els) => els.map((e) => e.textContent));
  check('the disc\'s own choice and its two titles are offered',
    options[0] === 'The disc\'s own choice' && options.some((o) => /^Playlist 00800 · 1:00 · 3 chapters · the film$/.test(o)) &&
    options.some((o) => /^Playlist 00001 · 0:40 · 2 chapters · special feature$/.test(o)), options.join(' | '));
  await page.screenshot({ path: join(SHOTS, 'disc-title.png') });

  // The film's chapters on the seek bar (20 s and 45.5 s; 0 is the start).
  await page.click('.film-actions .btn-primary');
  await page.waitForFunction(() => document.querySelectorAll('.pc-mark-chapter').length === 2, null, { timeout: 30000 })
    .catch(() => {});
  const marks = await page.$$eval('.pc-mark-chapter', (els) => els.map((e) => `${e.title}@${Number(e.dataset.at).toFixed(1)}`));
  check('the disc title\'s chapter marks on the seek bar', marks.join(' ') === 'Chapter 2@20.0 Chapter 3@45.5', marks.join(' '));
  await page.screenshot({ path: join(SHOTS, 'disc-chapters.png') });
  await page.keyboard.press('Escape');
  await page.goto(`${BASE}/film/${FILM}`);
  await page.waitForSelector('#disc-title');
  await page.click('#disc-title summary');
  await page.waitForFunction(() => document.querySelectorAll('#disc-title-select option').length === 3);

  await page.selectOption('#disc-title-select', '1');
  await page.click('#disc-title-save');
  await page.waitForFunction(() => /Saved|rescanned/.test(document.querySelector('.disc-title-status')?.textContent || ''));
  check('saving says so', true);
  // The page is drawn again once the rescan made playlist 1 the film.
  const chosen = await page.waitForFunction(async (id) => {
    const r = await fetch(`/api/v1/films/${id}`);
    const d = await r.json();
    return Math.round(d.editions[0].versions[0].files[0].duration) === 40;
  }, FILM, { timeout: 180000, polling: 1000 }).then(() => true, () => false);
  check('after the rescan the film is playlist 1 (40 s)', chosen);
  await page.waitForSelector('h1.film-title');
  await page.screenshot({ path: join(SHOTS, 'disc-title-chosen.png') });
  check('no script errors', errors.length === 0, errors.join(' | '));
} catch (err) {
  fail('the disc page scenario ran to its end', err.stack || err);
} finally {
  await browser.close();
}
done();
