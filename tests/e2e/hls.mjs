// hls: cinemateca's HLS renditions in Chromium's own media stack (MSE)
// through hls.js, as the web app plays them. For each file id given: load
// the master playlist, play, check currentTime advances, seek to the middle
// and check it advances from there, and that hls.js reported no fatal error.
// Prints "ok - ..." / "FAIL - ..." lines; exit 1 when a check failed.
//   node tests/e2e/hls.mjs BASE_URL FILE_ID[:caps]...
import { launch, ok, fail, done } from './browser.mjs';

const [base, ...files] = process.argv.slice(2);

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  for (const arg of files) {
    const [id, caps] = arg.split(':');
    const master = `/api/v1/files/${id}/hls/master.m3u8${caps ? `?caps=${caps}` : ''}`;
    const result = await page.evaluate(async (url) => {
      const wait = (ms) => new Promise((r) => setTimeout(r, ms));
      if (!window.Hls) {
        await new Promise((resolve, reject) => {
          const s = document.createElement('script');
          s.src = '/vendor/hls.min.js';
          s.onload = resolve;
          s.onerror = () => reject(new Error('no /vendor/hls.min.js'));
          document.head.append(s);
        });
      }
      const video = document.createElement('video');
      video.muted = true;
      document.body.append(video);
      const hls = new window.Hls({ subtitleDisplay: true });
      const errors = [];
      hls.on(window.Hls.Events.ERROR, (_, d) => {
        if (d.fatal) errors.push(`${d.type}/${d.details}`);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      await new Promise((r) => hls.on(window.Hls.Events.MANIFEST_PARSED, r));
      await video.play();
      const until = async (cond, ms) => {
        for (let t = 0; t < ms; t += 100) {
          if (cond()) return true;
          await wait(100);
        }
        return false;
      };
      const started = await until(() => video.currentTime > 1, 30000);
      const startTime = video.currentTime;
      const target = Math.floor(video.duration / 2);
      video.currentTime = target;
      const sought = await until(() => video.currentTime > target + 1 && !video.seeking, 30000);
      // The first subtitle track, if any: the cue showing at the playhead
      // once playback is past 11.5 s (the test's sidecar has one there).
      let cue = null;
      if (hls.subtitleTracks.length) {
        hls.subtitleTrack = 0;
        await until(() => video.currentTime > 11.5, 15000);
        await until(() => [...video.textTracks].some((t) => t.activeCues && t.activeCues.length), 5000);
        for (const t of video.textTracks)
          if (t.activeCues && t.activeCues.length) cue = t.activeCues[0].text;
      }
      const out = { started, sought, startTime, duration: video.duration, target,
        after: video.currentTime, errors,
        subtitles: hls.subtitleTracks.map((t) => t.name), cue };
      hls.destroy();
      video.remove();
      return out;
    }, master);
    const what = `file ${id}${caps ? ` (caps ${caps})` : ''}`;
    if (result.started) ok(`${what}: plays (currentTime ${result.startTime.toFixed(2)} s of ${result.duration.toFixed(1)} s)`);
    else fail(`${what}: currentTime never passed 1 s`);
    if (result.sought) ok(`${what}: after a seek to ${result.target} s, currentTime advances (${result.after.toFixed(2)} s)`);
    else fail(`${what}: after a seek to ${result.target} s, currentTime is ${result.after.toFixed(2)} s`);
    if (result.errors.length === 0) ok(`${what}: no fatal hls.js error`);
    else fail(`${what}: hls.js errors ${result.errors.join(', ')}`);
    if (result.subtitles.length) {
      if (result.cue === 'Eleven') ok(`${what}: subtitle track ${result.subtitles[0]} shows its cue on time`);
      else fail(`${what}: subtitle cue at 11.5 s is ${JSON.stringify(result.cue)}`);
    }
  }
} catch (e) {
  fail(`browser run: ${e.message}`);
} finally {
  await browser.close();
}
done();
