// player-overlay: the player's overlay in Debian's Chromium, against a
// server started by tests/integration/player_overlay_browser.sh with one
// film in two parts of 8 s each (two audio tracks, an English .srt beside
// the first part): the part mark at the join and seeking across it, the
// full-screen and picture-in-picture buttons, and axe-core over the open
// player with its controls shown and each menu open.
//   node tests/e2e/player-overlay.mjs BASE_URL SCREENSHOT_DIR
// Prints "ok - ..." / "FAIL - ..." lines.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { launch, ok, fail, check, done, failOnEscape } from './browser.mjs';

const [, , BASE, SHOTS] = process.argv;
if (!BASE || !SHOTS) {
  console.error('usage: node tests/e2e/player-overlay.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
failOnEscape('overlay tests');

const browser = await launch();
const pageErrors = [];
async function scenario(name, fn) {
  // bypassCSP: axe-core is injected by the test, never served by the app.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await fn(page);
  } catch (err) {
    fail(`${name}: ran to the end`, err.message);
    await page.screenshot({ path: join(SHOTS, `player-overlay-${name}-failed.png`) }).catch(() => {});
  } finally {
    await context.close();
  }
}
const playing = (page, after = 0.2) => page.waitForFunction((t) => {
  const v = document.querySelector('.player video');
  return v && v.currentTime > t && !v.paused;
}, after, { timeout: 30000 });
// The whole timeline's time, as the player shows it ("0:12 / 0:16").
const shownTime = async (page) => {
  const m = /^(\d+):(\d\d) \/ (\d+):(\d\d)$/.exec((await page.textContent('.pc-time')).trim());
  return m ? { now: Number(m[1]) * 60 + Number(m[2]), total: Number(m[3]) * 60 + Number(m[4]) } : null;
};
// The file the video element plays (its id in /api/v1/files/ID/...).
const playingFile = (page) => page.$eval('.player video', (v) => (/\/files\/(\d+)\//.exec(v.currentSrc) || [])[1] || '');

async function openAndPlay(page) {
  await page.goto(BASE);
  await page.waitForSelector('.card-link');
  await page.click('.card-link:has(.card-title:text-is("Zwei Teile"))');
  await page.waitForSelector('h1.film-title');
  await page.click('.film-actions .btn-primary');
  await playing(page);
}
// Controls fade while playing and the pointer rests: a move over the
// picture shows them.
async function wake(page) {
  const box = await (await page.$('.player-stage')).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 3 + 5);
}

async function axe(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const summary = r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; ');
  check(`axe finds no violations on ${what}`, r.violations.length === 0, summary);
}

const film = (await (await fetch(`${BASE}/api/v1/films?q=zwei`)).json()).items[0];
const files = (await (await fetch(`${BASE}/api/v1/films/${film.id}`)).json()).files
  .slice().sort((a, b) => (a.part || 1) - (b.part || 1));
check('the film has two parts of about 8 s', files.length === 2 && files.every((f) => Math.abs(f.duration - 8) < 0.5),
  JSON.stringify(files.map((f) => [f.part, f.duration])));
const [part1, part2] = files.map((f) => String(f.id));

await scenario('parts', async (page) => {
  await openAndPlay(page);
  check('the first part plays first', (await playingFile(page)) === part1, await playingFile(page));
  check('the title says which part', /Part 1 of 2/.test(await page.textContent('.player-part')), await page.textContent('.player-part'));
  const t = await shownTime(page);
  check('the seek bar spans both parts (0:16)', t && t.total === 16, JSON.stringify(t));
  await page.waitForSelector('.pc-mark-part');
  const marks = await page.$$eval('.pc-mark-part', (els) => els.map((e) => ({ at: Number(e.dataset.at), title: e.title, left: e.style.left })));
  check('one part mark, at the join (8 s), named "Part 2"', marks.length === 1 && Math.abs(marks[0].at - 8) < 0.5 && marks[0].title === 'Part 2',
    JSON.stringify(marks));
  // Where the eye sees it: half-way along the track.
  const [track, mark] = await Promise.all([
    page.$eval('.pc-seek-track', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, w: r.width }; }),
    page.$eval('.pc-mark-part', (e) => { const r = e.getBoundingClientRect(); return r.x + r.width / 2; }),
  ]);
  check('the mark is drawn half-way along the seek bar', Math.abs((mark - track.x) / track.w - 0.5) < 0.02, `${mark} in ${JSON.stringify(track)}`);

  // Across the join: a click at 75% of the bar is 12 s, 4 s into part 2.
  await wake(page);
  const box = await (await page.$('.pc-seek-track')).boundingBox();
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.waitForFunction((id) => document.querySelector('.player video').currentSrc.includes(`/files/${id}/`), part2);
  await playing(page, 3);
  const local = await page.$eval('.player video', (v) => v.currentTime);
  check('seeking past the join plays part 2 from the right moment (about 4 s in)', local >= 3 && local < 6, String(local));
  const after = await shownTime(page);
  check('and the time shown is on the whole timeline (0:12 or so)', after && after.now >= 11 && after.now <= 14, JSON.stringify(after));
  check('the title now says Part 2 of 2', /Part 2 of 2/.test(await page.textContent('.player-part')));
  await page.waitForFunction(() => {
    const v = document.querySelector('.player video');
    return v.videoWidth > 0 && v.readyState >= 2;
  });
  await wake(page);
  await page.screenshot({ path: join(SHOTS, 'player-overlay-part2.png') });
  // And back across it, with the keyboard: Home is the start of part 1.
  await page.focus('.pc-seek');
  await page.keyboard.press('Home');
  await page.waitForFunction((id) => document.querySelector('.player video').currentSrc.includes(`/files/${id}/`), part1);
  await page.waitForFunction(() => document.querySelector('.player video').currentTime < 2);
  ok('Home on the seek bar goes back across the join to the start of part 1');
  // Part 1 ends: part 2 follows by itself.
  await page.evaluate(() => { document.querySelector('.player video').currentTime = 7.5; });
  await page.waitForFunction((id) => document.querySelector('.player video').currentSrc.includes(`/files/${id}/`), part2);
  await playing(page, 0.1);
  ok('at the end of part 1, part 2 plays on');
});

await scenario('screens', async (page) => {
  await openAndPlay(page);
  await wake(page);
  // Full screen: the stage (picture and controls) fills the screen.
  await page.click('.pc-full');
  await page.waitForFunction(() => !!document.fullscreenElement, null, { timeout: 10000 });
  const fs = await page.evaluate(() => document.fullscreenElement.className);
  check('the full screen button puts the player on the whole screen', /player-stage/.test(fs), fs);
  await page.screenshot({ path: join(SHOTS, 'player-overlay-fullscreen.png') });
  await wake(page);
  await page.click('.pc-full');
  await page.waitForFunction(() => !document.fullscreenElement, null, { timeout: 10000 });
  ok('pressed again, it leaves full screen');
  // The F key does the same.
  await page.focus('.player');
  await page.keyboard.press('f');
  await page.waitForFunction(() => !!document.fullscreenElement, null, { timeout: 10000 });
  ok('F enters full screen');
  // The keys keep working there (the focus was on the player's frame,
  // which is not on the screen in full screen).
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.player video').paused, null, { timeout: 10000 });
  ok('in full screen, Space still pauses');
  await page.keyboard.press('Space');
  await page.keyboard.press('f');
  await page.waitForFunction(() => !document.fullscreenElement, null, { timeout: 10000 });
  ok('F again leaves it');
  check('and the focus is back in the player', await page.evaluate(() => !!document.activeElement.closest('.player')));

  // Picture in picture.
  const shown = await page.isVisible('.pc-pip');
  check('a picture-in-picture button, named', shown && (await page.getAttribute('.pc-pip', 'aria-label')) === 'Picture in picture');
  await wake(page);
  await page.click('.pc-pip');
  await page.waitForFunction(() => document.pictureInPictureElement === document.querySelector('.player video'), null, { timeout: 10000 });
  ok('the picture-in-picture button puts the video in its own window');
  check('the film keeps playing in it', await page.$eval('.player video', (v) => !v.paused));
  await wake(page);
  await page.click('.pc-pip');
  await page.waitForFunction(() => !document.pictureInPictureElement, null, { timeout: 10000 });
  ok('pressed again, the video comes back to the page');
  await page.focus('.player');
  await page.keyboard.press('p');
  await page.waitForFunction(() => !!document.pictureInPictureElement, null, { timeout: 10000 });
  await page.keyboard.press('p');
  await page.waitForFunction(() => !document.pictureInPictureElement, null, { timeout: 10000 });
  ok('P enters and leaves picture in picture');
});

await scenario('axe', async (page) => {
  await openAndPlay(page);
  // The earlier scenarios' watch state may resume it in part 2: back to
  // part 1, whose .srt gives the subtitle menu a choice.
  await page.focus('.pc-seek');
  await page.keyboard.press('Home');
  await page.waitForFunction((id) => document.querySelector('.player video').currentSrc.includes(`/files/${id}/`), part1);
  await playing(page, 0.1);
  await wake(page);
  await page.waitForSelector('.pc', { state: 'visible' });
  await axe(page, 'the open player with its controls');
  for (const name of ['Audio track', 'Subtitles', 'Speed', 'Quality']) {
    await wake(page);
    await page.click(`.pc-menu-button[aria-label="${name}"]`);
    await page.waitForSelector('.pc-menu:not([hidden])');
    // (the subtitles the server can send are asked for when the film opens)
    await page.waitForFunction(() => document.querySelectorAll('.pc-menu:not([hidden]) [role=menuitemradio]:not([aria-disabled=true])').length >= 2,
      null, { timeout: 15000 }).catch(() => {});
    const items = await page.$$eval('.pc-menu:not([hidden]) [role=menuitemradio]', (els) => els.map((e) => e.textContent));
    check(`the ${name} menu opens with its choices`, items.length >= 2, items.join(', '));
    if (name === 'Subtitles') await page.screenshot({ path: join(SHOTS, 'player-overlay-menu.png') });
    await axe(page, `the player with its ${name} menu open`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.pc-menu:not([hidden])', { state: 'detached', timeout: 5000 }).catch(() => {});
  }
});

check('no script errors on the page', pageErrors.length === 0, pageErrors.join(' | '));
await browser.close();
done();
