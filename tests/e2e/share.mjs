// share: shares in Chromium, as people use them. A clip share made from the
// film page's "Share…" dialog; its public link opened in a fresh context
// (no cookies) plays from the clip's start for the clip's length, with the
// film's subtitles offered (off by default) and shown cut to the clip; its embed
// page plays inside an iframe on another origin (and is refused by an
// origin not allowed); a scheduled share shows its countdown and refuses
// every media URL of a live share rewritten to its token; a share whose
// closing time passed answers 410. Screenshots go to SHOTS_DIR.
// Prints "ok - ..." / "FAIL - ..." lines; exit 1 when a check failed.
//   node tests/e2e/share.mjs BASE_URL FILM_ID SCHEDULED_TOKEN SHORT_TOKEN SHOTS_DIR BLOG_URL
// (BLOG_URL: another local server whose host.html?src=URL frames URL)
import { launch, ok, fail, done } from './browser.mjs';

const [base, filmId, scheduled, short, shots, blog] = process.argv.slice(2);
const check = (cond, what) => (cond ? ok(what) : fail(what));
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

// Plays the page's #share-video (muted) and says how far it got.
async function playIn(frame) {
  return frame.evaluate(async () => {
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    let video = null;
    for (let t = 0; t < 30000 && !video; t += 100) {
      video = document.getElementById('share-video');
      if (!video) await wait(100);
    }
    if (!video) return { error: 'no video element' };
    video.muted = true;
    const startedAt = video.currentTime;
    try {
      await video.play();
    } catch (e) {
      return { error: `play(): ${e.message}` };
    }
    for (let t = 0; t < 30000 && video.currentTime < 1.5; t += 100) await wait(100);
    return { startedAt, now: video.currentTime, duration: video.duration };
  });
}

const browser = await launch();
try {
  // ---- make a clip share from the film page ----
  const admin = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await admin.goto(`${base}/film/${filmId}`);
  const button = admin.locator('#share-button');
  await button.waitFor({ timeout: 15000 });
  ok('the film page offers "Share…"');
  await button.click();
  await admin.selectOption('#share-what', 'clip');
  await admin.fill('#share-from', '00:00:05.4');
  await admin.fill('#share-to', '00:00:11');
  await admin.fill('#share-title-input', 'The <i>screening</i> scene');
  await admin.fill('#share-note-input', 'A note with <script>alert(1)</script> in it');
  await admin.click('#share-create');
  const linkInput = admin.locator('#share-link');
  await linkInput.waitFor({ timeout: 15000 });
  const link = await linkInput.inputValue();
  const snippet = await admin.locator('#share-embed').inputValue();
  await admin.screenshot({ path: `${shots}/share-dialog.png` });
  check(/\/s\/[A-Za-z0-9_-]{22}$/.test(link), `the dialog gives the link (${link})`);
  check(snippet.startsWith('<iframe src="') && snippet.includes(`${link}/embed`), 'and an iframe snippet');
  const token = link.split('/s/')[1];

  // ---- the public page in a fresh context ----
  const viewer = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await viewer.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  const response = await page.goto(link);
  check(response.status() === 200, 'the public link opens without cookies (200)');
  check((await viewer.cookies()).length === 0, 'and sets no cookie');
  check(await page.locator('#share-title').textContent() === 'The <i>screening</i> scene',
    'the title is shown as text, not markup');
  check(await page.locator('#share-note').textContent() === 'A note with <script>alert(1)</script> in it',
    'the note too');
  const played = await playIn(page);
  check(!played.error && played.startedAt < 0.05 && played.now >= 1.5,
    `it plays from the clip's start (${JSON.stringify(played)})`);
  // The playlist's timeline starts a few frames in (cm_hls_timeline_start), as every HLS rendition's.
  check(played.duration > 5.5 && played.duration < 5.9, `for the clip's length, 5.6 s (${played.duration})`);
  await page.screenshot({ path: `${shots}/share-live.png` });
  check(dialogs === 0, 'no script from the title or note ran');

  // ---- the share's own subtitles ----
  const subs = page.locator('#share-subtitles');
  await subs.waitFor({ timeout: 15000 });
  const options = await subs.locator('option').allTextContents();
  check(options.length === 2 && options[0] === 'Off' && options[1] === 'English',
    `the player offers the film's subtitles by language (${options.join(', ')})`);
  check(await subs.inputValue() === '-1', 'off by default');
  await page.evaluate(() => { const v = document.getElementById('share-video'); v.pause(); v.currentTime = 1; });
  await subs.selectOption({ label: 'English' });
  // The cue (5-12 s of the film) cut to the clip (5.4-11 s): 0 to 5.6 s of it.
  const shown = await page.evaluate(async () => {
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    const video = document.getElementById('share-video');
    for (let t = 0; t < 20000; t += 100) {
      const track = Array.from(video.textTracks).find((x) => x.mode === 'showing');
      const cues = track && track.cues ? Array.from(track.cues) : [];
      const active = track && track.activeCues ? Array.from(track.activeCues) : [];
      if (active.length) {
        return { text: active[0].text, cues: cues.map((c) => [c.startTime, c.endTime, c.text]),
          videoStart: video.buffered.length ? video.buffered.start(0) : null, duration: video.duration };
      }
      await wait(100);
    }
    return { error: 'no cue shown', tracks: Array.from(video.textTracks).map((x) => [x.label, x.mode]) };
  });
  check(shown.text === 'A line of the film',
    `the chosen subtitle shows on the clip (${JSON.stringify(shown)})`);
  // The player's timeline starts a few frames before the clip's first one
  // (as for the video above): the cue starts with that frame, within one
  // (0.04 s), and lasts the clip.
  check(Array.isArray(shown.cues) && shown.cues.length === 1 && shown.videoStart !== null &&
    Math.abs(shown.cues[0][0] - shown.videoStart) <= 0.04 &&
    Math.abs(shown.cues[0][1] - shown.cues[0][0] - 5.6) < 0.002,
    'its one cue cut to the clip: from the clip\'s first frame to its end, 5.6 s');
  await wait(500);
  await page.screenshot({ path: `${shots}/share-subtitles.png` });
  const hls = await page.evaluate(async (t) => (await (await fetch(`/s/${t}/info.json`)).json()).hls, token);
  const [media, subsUri] = await page.evaluate(async (u) => {
    const master = await (await fetch(u)).text();
    const sub = (master.match(/TYPE=SUBTITLES[^\n]*URI="([^"]+)"/) || [])[1] || '';
    return [master.split('\n').find((l) => l && !l.startsWith('#')), sub];
  }, hls);

  // ---- the embed page in an iframe on another origin ----
  // The blog page holding the iframe is served by another local server
  // (another origin: its port), which --share-embed allows; the same page
  // from "localhost" on that port is an origin not allowed.
  const hostUrl = `${blog}/host.html?src=${encodeURIComponent(`${link}/embed`)}`;
  const hostPage = await viewer.newPage({ viewport: { width: 800, height: 500 } });
  await hostPage.goto(hostUrl);
  const frameEl = await hostPage.waitForSelector('iframe');
  const frame = await frameEl.contentFrame();
  const embedded = frame ? await playIn(frame) : { error: 'no frame' };
  check(!embedded.error && embedded.now >= 1.5,
    `the embed plays in an iframe on another origin (${JSON.stringify(embedded)})`);
  if (frame) {
    await frame.locator('#share-subtitles').waitFor({ timeout: 15000 }).catch(() => {});
    check(await frame.locator('#share-subtitles').count() === 1 &&
      await frame.locator('#share-subtitles').inputValue() === '-1', 'the embed offers the subtitles too, off');
  }
  await wait(500);
  await hostPage.screenshot({ path: `${shots}/share-embed.png` });
  const evil = await viewer.newPage();
  await evil.goto(hostUrl.replace('127.0.0.1', 'localhost'));
  await wait(2000);
  const evilFrame = await (await evil.waitForSelector('iframe')).contentFrame();
  const evilUrl = evilFrame ? evilFrame.url() : '';
  check(!evilUrl.includes('/embed'), `an origin not allowed cannot frame it (${evilUrl})`);

  // ---- a scheduled share ----
  const sched = await viewer.newPage();
  await sched.goto(`${base}/s/${scheduled}`);
  const countdown = sched.locator('#share-countdown');
  await countdown.waitFor({ timeout: 15000 });
  const first = await countdown.textContent();
  await wait(2100);
  const later = await countdown.textContent();
  check(/\d\d:\d\d:\d\d/.test(first) && first !== later, `it counts down (${first} -> ${later})`);
  check(await sched.locator('video').count() === 0, 'with no player');
  await sched.screenshot({ path: `${shots}/share-scheduled.png` });
  const rewritten = [
    hls.replace(token, scheduled),
    `/s/${scheduled}/hls/${media}`,
    `/s/${scheduled}/hls/${media.replace('media.m3u8', 'seg-0.m4s')}`,
    `/s/${scheduled}/hls/${media.replace('media.m3u8', 'init.mp4')}`,
    `/s/${scheduled}/poster.jpg`,
    `/s/${scheduled}/hls/${subsUri}`,
    `/s/${scheduled}/hls/${subsUri.replace('.m3u8', '.vtt')}`,
  ];
  check(subsUri.startsWith('subs/x0.m3u8?sig='), `the live share's master names its subtitles (${subsUri})`);
  const statuses = await sched.evaluate(async (urls) => Promise.all(
    urls.map(async (u) => (await fetch(u)).status)), rewritten);
  check(statuses.every((s) => s === 404 || s === 403),
    `every media URL of the live share, rewritten to it, is refused (${statuses.join(',')})`);

  // ---- a short share closes ----
  const closing = await viewer.newPage();
  let status = 0;
  for (let t = 0; t < 60 && status !== 410; t++) {
    status = (await closing.goto(`${base}/s/${short}`)).status();
    if (status !== 410) await wait(1000);
  }
  check(status === 410, 'after its closing time the page answers 410');
  check((await closing.textContent('h1')) === 'This share has closed', 'with a plain page');
  await closing.screenshot({ path: `${shots}/share-closed.png` });

  // ---- the admin page's Shares: revoke the clip share ----
  await admin.goto(`${base}/admin`);
  const rowSel = `#admin-shares tr.share-row[data-token="${token}"]`;
  await admin.waitForSelector(rowSel, { timeout: 15000 });
  check(await admin.locator(`${rowSel} .share-state`).textContent() === 'live', 'the admin page lists the share, live');
  check(Number((await admin.locator(`${rowSel} td:nth-child(3)`).textContent()).trim()) >= 2,
    'with its views (the page and the embed: two viewer sessions)');
  await admin.click(`${rowSel} .share-revoke`);
  await admin.waitForSelector(`#admin-shares tr.share-row[data-token="${token}"][data-state="revoked"]`, { timeout: 15000 });
  ok('revoke on the admin page');
  await (await admin.$('#admin-shares')).scrollIntoViewIfNeeded();
  await admin.screenshot({ path: `${shots}/share-admin.png` });
  check((await page.goto(link)).status() === 410, 'the revoked link answers 410');
} catch (err) {
  fail(`the browser run: ${err.message}`);
} finally {
  await browser.close();
}
done();
