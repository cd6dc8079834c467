// player: plays a film (its parts in order) or a special feature in place,
// with our own controls (player-controls.js). Direct play of the file when
// the browser says it can decode it and nothing asks for more; the
// server's HLS (natively or through hls.js) when it cannot, or when the
// viewer picks another audio track, subtitles from the file, or a
// transcoded quality; otherwise a message a person can act on. When the
// server stops answering, the player says so rather than blame the file.
import { h, clear, languageName } from './dom.js';
import { api as server, streamUrl, hlsUrl } from './api.js';
import { clock, seekBar, menuButton, icon } from './player-controls.js';

// How often a playing film reports where it is (also on pause, seek and close).
const REPORT_EVERY_MS = 10000;

const CONTAINER_MIME = {
  mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/mp4', webm: 'video/webm',
  mkv: 'video/x-matroska', ogv: 'video/ogg', ogg: 'video/ogg',
};
const VIDEO_CODECS = {
  h264: 'avc1.640028', hevc: 'hvc1.1.6.L120.90', h265: 'hvc1.1.6.L120.90', vp9: 'vp09.00.40.08',
  vp8: 'vp8', av1: 'av01.0.08M.08', theora: 'theora',
};
const AUDIO_CODECS = {
  aac: 'mp4a.40.2', mp3: 'mp4a.69', opus: 'opus', vorbis: 'vorbis', flac: 'flac',
  ac3: 'ac-3', eac3: 'ec-3', alac: 'alac',
};

// The container's short name as the probe gave it ("mov,mp4,m4a,..." too)
// or the file's extension.
function containerOf(file) {
  const fromPath = file.path ? (/\.([a-z0-9]+)$/i.exec(file.path) || [])[1] : null;
  const c = String(file.container || '').toLowerCase();
  if (fromPath && CONTAINER_MIME[fromPath.toLowerCase()]) return fromPath.toLowerCase();
  if (c.includes('mp4') || c.includes('mov')) return 'mp4';
  if (c.includes('matroska') || c === 'mkv') return c.includes('webm') && !fromPath ? 'webm' : 'mkv';
  return c || (fromPath || '').toLowerCase();
}

// '' when the browser says no, 'maybe'/'probably' otherwise.
export function directPlayVerdict(video, file) {
  const container = containerOf(file);
  const mime = CONTAINER_MIME[container];
  if (!mime) return '';
  const codecs = [];
  if (file.video && file.video.codec) {
    const v = VIDEO_CODECS[file.video.codec];
    if (!v) return '';
    codecs.push(v);
  }
  const audio = (file.audio || [])[0];
  if (audio && audio.codec) {
    const a = AUDIO_CODECS[audio.codec];
    if (!a) return '';
    codecs.push(a);
  }
  const type = codecs.length ? `${mime}; codecs="${codecs.join(', ')}"` : mime;
  let verdict = video.canPlayType(type);
  // Chromium decodes H.264/AAC in Matroska but does not claim the MIME type;
  // ask about the same codecs in MP4 and let the error event decide.
  if (!verdict && container === 'mkv') {
    const mp4 = codecs.length ? `video/mp4; codecs="${codecs.join(', ')}"` : '';
    if (mp4 && video.canPlayType(mp4)) verdict = 'maybe';
  }
  return verdict;
}

let hlsScript = null;
function loadHlsJs() {
  if (window.Hls) return Promise.resolve(window.Hls);
  if (!hlsScript) {
    hlsScript = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/vendor/hls.min.js';
      s.onload = () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load')));
      s.onerror = () => {
        hlsScript = null;
        reject(new Error('hls.js is not available on this server'));
      };
      document.head.append(s);
    });
  }
  return hlsScript;
}

// What the server offers as HLS for a file: {ok, subtitles, renditions}
// (the subtitle renditions of its master playlist: [{name, language}]).
// Asked once per file.
const hlsInfoCache = new Map();
function attribute(line, name) {
  const m = new RegExp(`[:,]${name}=("([^"]*)"|[^,]*)`).exec(line);
  return m ? (m[2] !== undefined ? m[2] : m[1]) : '';
}
function hlsInfo(fileId) {
  if (!hlsInfoCache.has(fileId)) {
    hlsInfoCache.set(fileId, (async () => {
      try {
        const res = await fetch(hlsUrl(fileId), { headers: { Accept: 'application/vnd.apple.mpegurl' } });
        if (!res.ok) return { ok: false, subtitles: 0, renditions: [], burns: [] };
        const text = await res.text();
        const renditions = (text.match(/#EXT-X-MEDIA:[^\n]*TYPE=SUBTITLES[^\n]*/g) || [])
          .map((line) => ({ name: attribute(line, 'NAME'), language: attribute(line, 'LANGUAGE') }));
        // Picture subtitles (VobSub, PGS) are burned into a transcode:
        // the playlist names each by the number that asks for it.
        const burns = [...text.matchAll(/^# cinemateca: burn=(\d+): (\S+) picture subtitles/gm)]
          .map((m) => ({ stream: Number(m[1]), language: m[2] === 'und' ? '' : m[2] }));
        return { ok: text.startsWith('#EXTM3U'), subtitles: renditions.length, renditions, burns };
      } catch {
        hlsInfoCache.delete(fileId); // asked again once the server answers
        return { ok: false, subtitles: 0, renditions: [], burns: [], unreachable: true };
      }
    })());
  }
  return hlsInfoCache.get(fileId);
}

// Whether cinemateca answers at all (any HTTP status counts): a stalled or
// failed stream is the server's absence, not the file's fault, when not.
async function serverAnswers() {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 4000);
  try {
    await fetch('/api/v1/status', { cache: 'no-store', signal: stop.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// Preview frames and chapters of a file, asked once each (null/[] when none).
const trickplayCache = new Map();
function trickplay(fileId) {
  if (!trickplayCache.has(fileId)) {
    trickplayCache.set(fileId, fetch(`/api/v1/files/${encodeURIComponent(fileId)}/trickplay.json`)
      .then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return trickplayCache.get(fileId);
}
function chapters(fileId) {
  return fetch(`/api/v1/files/${encodeURIComponent(fileId)}/chapters`)
    .then((r) => (r.ok ? r.json() : { chapters: [] }))
    .then((b) => (Array.isArray(b.chapters) ? b.chapters : []))
    .catch(() => []);
}

// A commentary track is labelled so and never chosen by default.
export function isCommentary(track) {
  return /comment/i.test(String(track.title || ''));
}
// The audio track the browser (direct play) or the server (HLS without
// audio=N) takes by itself: the default-flagged one, else the first.
function naturalAudio(file) {
  const audio = file.audio || [];
  return audio.find((a) => a.default) || audio[0] || null;
}
// The one we start with: the natural one unless it is a commentary.
export function startingAudio(file) {
  const natural = naturalAudio(file);
  if (!natural || !isCommentary(natural)) return natural;
  const audio = file.audio || [];
  return audio.find((a) => a.default && !isCommentary(a)) || audio.find((a) => !isCommentary(a)) || natural;
}
function audioLabel(a, i) {
  const lang = languageName(a.language) || (a.language ? a.language : `Track ${i + 1}`);
  const channels = a.channels >= 6 ? ' 5.1' : a.channels === 2 ? ' stereo' : '';
  if (isCommentary(a)) return `${lang} · Commentary`;
  const title = a.title && a.title !== a.language && a.title.toLowerCase() !== lang.toLowerCase() ? ` · ${a.title}` : '';
  return `${lang}${title}${channels}`;
}

function describe(file) {
  const bits = [];
  if (file.video && file.video.codec) bits.push(file.video.codec.toUpperCase());
  const a = (file.audio || [])[0];
  if (a && a.codec) bits.push(a.codec.toUpperCase());
  const c = containerOf(file);
  return `${bits.join(' and ') || 'this format'}${c ? ` in ${c.toUpperCase()}` : ''}`;
}

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
// The heights the server transcodes to on request (cp_variant.h).
const TRANSCODE_HEIGHTS = [1080, 720, 480, 360];
const UP_NEXT_SECONDS = 10;
// A stream that waits this long for data makes the player ask whether
// the server still answers.
const STALL_MS = 4000;

/*
 * openPlayer(host, {items, index, title, startAt, onClose, onProgress,
 *                   upNext, offers}): shows a player at the top of host.
 * items: [{file, label}] played in order (a film's parts, one timeline with
 * the part boundaries marked), index: first one; startAt: the second to
 * start the first one from (a resume). upNext: {title, play()} counted down
 * to when the last item ends (the next extra); offers: [{title, play()}]
 * shown when it ends (a film's extras).
 * Returns {element, close, video}.
 */
export function openPlayer(host, { items, index = 0, title, onClose, startAt = 0, onProgress, upNext = null, offers = null }) {
  const video = h('video.player-video', { playsInline: true, preload: 'auto', crossOrigin: 'anonymous' });
  const message = h('div.player-message', { role: 'alert', hidden: true });
  const partLabel = h('span.player-part');
  const close = h('button.player-close', { type: 'button', 'aria-label': 'Close the player' }, '✕');
  const endCard = h('div.player-end', { hidden: true });

  // ---- the control bar ----
  const button = (cls, label, text, onclick) => h(`button.pc-button.${cls}`, { type: 'button', 'aria-label': label, title: label, onclick }, text);
  const playButton = button('pc-play', 'Play', icon('play'), () => togglePlay());
  const back = button('pc-back', 'Back 10 seconds', '↺10', () => seekBy(-10));
  const forward = button('pc-forward', 'Forward 10 seconds', '10↻', () => seekBy(10));
  const muteButton = button('pc-mute', 'Mute', icon('volume'), () => { video.muted = !video.muted; });
  const volume = h('input.pc-volume', { type: 'range', min: '0', max: '1', step: '0.05', value: '1', 'aria-label': 'Volume' });
  volume.addEventListener('input', () => { video.volume = Number(volume.value); video.muted = false; });
  const time = h('span.pc-time', { 'aria-hidden': 'true' }, '0:00 / 0:00');
  const remaining = h('span.pc-remaining', { 'aria-hidden': 'true' }, '');
  const audioMenu = menuButton('Audio', 'Audio track');
  const subsMenu = menuButton('CC', 'Subtitles');
  const speedMenu = menuButton('1×', 'Speed');
  const qualityMenu = menuButton('Auto', 'Quality');
  const pipButton = button('pc-pip', 'Picture in picture', icon('pip'), () => togglePip());
  const fullButton = button('pc-full', 'Full screen', icon('fullscreen'), () => toggleFullscreen());
  if (!document.pictureInPictureEnabled) pipButton.hidden = true;
  const seek = seekBar({ onSeek: (t) => seekTo(t), preview: previewAt });
  const controls = h('div.pc', { role: 'group', 'aria-label': 'Player controls' },
    seek.element,
    h('div.pc-row',
      playButton, back, forward,
      h('span.pc-volume-wrap', muteButton, volume),
      time, remaining,
      h('span.pc-spacer'),
      audioMenu.element, subsMenu.element, speedMenu.element, qualityMenu.element, pipButton, fullButton));
  // tabindex: the stage takes the focus in full screen (below).
  const stage = h('div.player-stage', { tabindex: '-1' }, video, message, endCard, controls);
  const element = h('section.player', { tabindex: '-1', 'aria-label': `Player: ${title}` },
    h('div.player-bar',
      h('h2.player-title', title, ' ', partLabel),
      close),
    stage,
    h('div.player-foot',
      h('p.player-keys', { 'aria-hidden': 'true' },
        h('kbd', 'Space'), ' play/pause  ', h('kbd', '←'), h('kbd', '→'), ' 10 s  ',
        h('kbd', '↑'), h('kbd', '↓'), ' volume  ', h('kbd', 'M'), ' mute  ', h('kbd', 'C'), ' subtitles  ',
        h('kbd', 'F'), ' full screen  ', h('kbd', 'Esc'), ' close')));

  let hls = null;
  let current = index;
  let closed = false;
  // mode: 'direct' or 'hls', for the file being played.
  let mode = 'direct';
  // The viewer's choices, kept across parts: audio (container index, or
  // null: the starting track), subtitles (rendition number, -1: off),
  // quality ('auto' or 'transcode'), speed.
  // burn: a picture subtitle stream painted in by the server (null: none).
  const choice = { audio: null, subtitle: -1, quality: 'auto', speed: 1, burn: null };

  // ---- one timeline over every part ----
  const durations = items.map((it) => Number(it.file.duration) || 0);
  function offsetOf(i) { return durations.slice(0, i).reduce((a, b) => a + b, 0); }
  function total() {
    const known = durations.reduce((a, b) => a + b, 0);
    if (known > 0) return known;
    return Number.isFinite(video.duration) ? video.duration : 0;
  }
  function now() { return offsetOf(current) + (video.currentTime || 0); }
  function seekTo(t) {
    const length = total();
    t = Math.max(0, Math.min(t, length > 0 ? length - 0.25 : t));
    let i = 0;
    while (i < items.length - 1 && t >= offsetOf(i + 1)) i++;
    const local = t - offsetOf(i);
    if (i === current) video.currentTime = local;
    else load(i, local, !video.paused);
    paint();
  }
  function seekBy(dt) { seekTo(now() + dt); }
  function previewAt(t) {
    let i = 0;
    while (i < items.length - 1 && t >= offsetOf(i + 1)) i++;
    const tp = sheets.get(items[i].file.id);
    if (!tp || !tp.sheets || !tp.sheets.length) return null;
    const tile = Math.max(0, Math.min(tp.tiles - 1, Math.floor((t - offsetOf(i)) / tp.interval)));
    const perSheet = tp.columns * tp.rows;
    const sheet = tp.sheets[Math.floor(tile / perSheet)];
    const k = tile % perSheet;
    if (!sheet) return null;
    return { sheet, x: (k % tp.columns) * tp.tile_width, y: Math.floor(k / tp.columns) * tp.tile_height, width: tp.tile_width, height: tp.tile_height };
  }
  // Trickplay layouts by file id, and the chapter and part marks.
  const sheets = new Map();
  (async () => {
    const marks = [];
    for (let i = 1; i < items.length; i++) {
      if (offsetOf(i) > 0) marks.push({ at: offsetOf(i), kind: 'part', title: items[i].label || `Part ${i + 1}` });
    }
    await Promise.all(items.map(async (it, i) => {
      const [tp, list] = await Promise.all([trickplay(it.file.id), chapters(it.file.id)]);
      if (tp) sheets.set(it.file.id, tp);
      for (const c of list) marks.push({ at: offsetOf(i) + Number(c.start || 0), kind: 'chapter', title: c.title || '' });
    }));
    if (closed) return;
    seek.setMarks(marks);
  })();

  function paint() {
    const length = total();
    const t = now();
    let bufferedTo = offsetOf(current);
    const b = video.buffered;
    for (let i = 0; i < b.length; i++) if (b.start(i) <= video.currentTime + 0.5) bufferedTo = offsetOf(current) + b.end(i);
    seek.update(t, length, bufferedTo);
    time.textContent = `${clock(t)} / ${clock(length)}`;
    remaining.textContent = length ? `−${clock(length - t)}` : '';
    const paused = video.paused || video.ended;
    if (playButton.dataset.state !== String(paused)) {
      playButton.dataset.state = String(paused);
      playButton.replaceChildren(icon(paused ? 'play' : 'pause'));
      playButton.setAttribute('aria-label', paused ? 'Play' : 'Pause');
      playButton.title = paused ? 'Play' : 'Pause';
    }
    const silent = video.muted || video.volume === 0;
    if (muteButton.dataset.state !== String(silent)) {
      muteButton.dataset.state = String(silent);
      muteButton.replaceChildren(icon(silent ? 'muted' : 'volume'));
      muteButton.setAttribute('aria-label', silent ? 'Unmute' : 'Mute');
      muteButton.title = silent ? 'Unmute' : 'Mute';
    }
    if (document.activeElement !== volume) volume.value = String(video.muted ? 0 : video.volume);
    element.classList.toggle('player-paused', paused);
  }
  ['timeupdate', 'durationchange', 'progress', 'play', 'pause', 'volumechange', 'loadedmetadata', 'seeking']
    .forEach((e) => video.addEventListener(e, paint));

  // ---- messages ----
  function fail(text, heading = 'This cannot be played here') {
    message.hidden = false;
    clear(message);
    message.append(h('p.player-message-title', heading), h('p', text));
    controls.hidden = true;
  }
  // The server is gone (stopped, restarted, the network dropped): say so,
  // and offer to go on from where the picture stopped.
  let unanswered = false;
  function notAnswering() {
    if (closed || unanswered) return;
    unanswered = true;
    const at = video.currentTime || 0;
    video.pause();
    fail('The server stopped answering while this was playing. Check that cinemateca is still running (or that this device is still on its network), then try again.',
      'cinemateca is not answering');
    message.classList.add('player-message-offline');
    message.append(h('button.btn.player-retry', {
      type: 'button',
      onclick: async () => {
        if (!(await serverAnswers())) return;
        unanswered = false;
        message.classList.remove('player-message-offline');
        load(current, at, true);
      },
    }, 'Try again'));
  }
  // Before blaming the file, ask whether the server is there at all.
  async function blame(text, heading) {
    if (!(await serverAnswers())) notAnswering();
    else if (!closed) fail(text, heading);
  }
  let stallTimer = 0;
  function watchStall() {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(async () => {
      if (closed || video.paused || video.readyState >= 3) return;
      if (!(await serverAnswers())) notAnswering();
    }, STALL_MS);
  }
  video.addEventListener('waiting', watchStall);
  video.addEventListener('stalled', watchStall);
  video.addEventListener('playing', () => clearTimeout(stallTimer));

  function resetMedia() {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    clearTimeout(stallTimer);
    message.hidden = true;
    video.hidden = false;
    controls.hidden = false;
    endCard.hidden = true;
    while (video.firstChild) video.firstChild.remove();
    video.removeAttribute('src');
    video.load();
  }

  // The master playlist's URL for the current choices.
  function hlsSource(file) {
    const q = new URLSearchParams();
    const start = startingAudio(file);
    const audio = choice.audio !== null ? choice.audio : (start && start !== naturalAudio(file) ? start.index : null);
    if (audio !== null && audio !== undefined) q.set('audio', String(audio));
    // No codec the client plays as is: the server transcodes to H.264/AAC,
    // at most `height` lines high when a height was chosen.
    if (choice.quality !== 'auto') q.set('caps', 'none');
    if (typeof choice.quality === 'number') q.set('height', String(choice.quality));
    if (choice.burn !== null) q.set('burn', String(choice.burn));
    const s = q.toString();
    return s ? `${hlsUrl(file.id)}?${s}` : hlsUrl(file.id);
  }
  // Direct play serves only the natural audio track and no embedded
  // subtitles: anything else goes through the server's HLS.
  function needsHls(file) {
    const natural = naturalAudio(file);
    const start = startingAudio(file);
    const audio = choice.audio !== null ? choice.audio : start ? start.index : null;
    return choice.quality !== 'auto' || choice.subtitle >= 0 || choice.burn !== null ||
      (natural && audio !== null && audio !== undefined && audio !== natural.index);
  }

  async function playHls(file, at = 0, autoplay = true) {
    const info = await hlsInfo(file.id);
    if (!info.ok) {
      if (info.unreachable) notAnswering();
      return false;
    }
    if (closed) return true;
    mode = 'hls';
    const url = hlsSource(file);
    if (at) {
      video.addEventListener('loadedmetadata', () => { video.currentTime = at; }, { once: true });
    }
    // hls.js first where it works (it exposes subtitle renditions as text
    // tracks, which Chromium's own HLS does not); the browser's HLS else.
    let Hls = null;
    try {
      Hls = await loadHlsJs();
    } catch {
      Hls = null;
    }
    if (closed) return true;
    if (!Hls || !Hls.isSupported()) {
      if (!video.canPlayType('application/vnd.apple.mpegurl')) return false;
      video.src = url;
    } else {
      hls = new Hls({ maxBufferLength: 30, startPosition: at || -1 });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          blame('The server stopped sending the stream. Try again in a moment.', 'The stream stopped');
        } else {
          fail(`Your browser could not decode the stream the server made of this file (${describe(file)}).`);
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    }
    video.playbackRate = choice.speed;
    if (autoplay) video.play().catch(() => {});
    return true;
  }

  // ---- menus ----
  function subtitleTrackList() {
    return Array.from(video.textTracks).filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
  }
  function applySubtitle() {
    const tracks = subtitleTrackList();
    tracks.forEach((t, i) => { t.mode = i === choice.subtitle ? 'showing' : 'disabled'; });
    if (hls && choice.subtitle < tracks.length) hls.subtitleTrack = choice.subtitle;
    subsMenu.button.classList.toggle('pc-on', choice.subtitle >= 0 || choice.burn !== null);
  }
  video.textTracks.addEventListener('addtrack', () => { if (mode === 'hls') applySubtitle(); });

  async function fillMenus() {
    const { file } = items[current];
    // Audio: the file's tracks, the one playing checked.
    const audio = file.audio || [];
    const start = startingAudio(file);
    const playing = choice.audio !== null ? choice.audio : start ? start.index : null;
    audioMenu.setItems(audio.filter((a) => a.index !== undefined).map((a, i) => ({
      label: audioLabel(a, i), value: a.index, checked: a.index === playing,
    })));
    audioMenu.element.hidden = audio.length < 2;
    speedMenu.setItems(SPEEDS.map((s) => ({ label: s === 1 ? 'Normal' : `${s}×`, value: s, checked: s === choice.speed })));
    // Quality: the original, or a transcode at one of the server's heights
    // below the file's own (or at its own size when it is small).
    const height = file.video && file.video.height;
    const heights = TRANSCODE_HEIGHTS.filter((hh) => !height || hh < height);
    qualityMenu.setItems([{ label: `Original${height ? ` (${height}p)` : ''}`, value: 'auto', checked: choice.quality === 'auto' }]
      .concat(heights.length
        ? heights.map((hh) => ({ label: `${hh}p (transcoded)`, value: hh, checked: choice.quality === hh }))
        : [{ label: `${height ? `${height}p ` : ''}(transcoded)`, value: 'transcode', checked: choice.quality === 'transcode' }]));
    qualityMenu.button.textContent = choice.quality === 'auto' ? 'Auto' : typeof choice.quality === 'number' ? `${choice.quality}p` : 'H.264';
    // Subtitles: what the server's HLS offers, listed before any switch.
    subsMenu.setItems([{ label: 'Off', value: -1, checked: choice.subtitle < 0 }]);
    const info = await hlsInfo(file.id);
    if (closed || items[current].file !== file) return;
    subsMenu.setItems([{ label: 'Off', value: -1, checked: choice.subtitle < 0 && choice.burn === null }].concat(
      info.renditions.map((r, i) => ({
        label: (r.name && r.name !== r.language ? r.name : '') || languageName(r.language) || r.name || `Track ${i + 1}`,
        value: i,
        checked: i === choice.subtitle,
      })),
      (info.burns || []).map((b) => ({
        label: `${languageName(b.language) || b.language || 'Subtitles'} (burned in)`,
        value: `burn:${b.stream}`,
        checked: b.stream === choice.burn,
      }))));
    subsMenu.element.classList.toggle('pc-none', !info.renditions.length && !(info.burns || []).length);
  }
  // Switches the source (direct <-> HLS, another audio or quality) where
  // the viewer is, keeping play/pause.
  function reload() {
    const at = video.currentTime || 0;
    const playing = !video.paused;
    load(current, at, playing);
  }
  audioMenu.onChoose((value) => { choice.audio = value; reload(); });
  qualityMenu.onChoose((value) => {
    choice.quality = value === 'auto' || value === 'transcode' ? value : Number(value);
    reload();
  });
  speedMenu.onChoose((value) => {
    choice.speed = value;
    video.playbackRate = value;
    speedMenu.button.textContent = `${value}×`;
    fillMenus();
  });
  subsMenu.onChoose((value) => {
    // Picture subtitles: the server transcodes with them painted in.
    if (typeof value === 'string' && value.startsWith('burn:')) {
      choice.burn = Number(value.slice(5));
      choice.subtitle = -1;
      reload();
      return;
    }
    const wasBurning = choice.burn !== null;
    choice.burn = null;
    choice.subtitle = value;
    if (wasBurning) {
      reload();
      return;
    }
    if (mode === 'hls' || value < 0) {
      applySubtitle();
      fillMenus();
    } else {
      reload(); // the file's subtitles come with the server's HLS
    }
  });

  // ---- loading a part ----
  let generation = 0; // a load's listeners ignore what happens after the next load
  async function load(i, seekTo = 0, autoplay = true) {
    const gen = ++generation;
    resetMedia();
    current = i;
    lastReported = -1;
    mode = 'direct';
    const { file } = items[i];
    partLabel.textContent = items.length > 1 ? `· ${items[i].label || `Part ${i + 1}`} of ${items.length}` : (items[i].label || '');
    fillMenus();
    const verdict = needsHls(file) ? '' : directPlayVerdict(video, file);
    if (verdict) {
      let triedHls = false;
      video.addEventListener('error', async function onError() {
        video.removeEventListener('error', onError);
        if (closed || gen !== generation || triedHls || hls || mode !== 'direct') return;
        triedHls = true;
        const code = video.error && video.error.code;
        if (!(await serverAnswers())) {
          notAnswering();
          return;
        }
        resetMedia();
        if (await playHls(file, seekTo, autoplay)) return;
        fail(code === 2
          ? 'The file could not be read from the server. It may have been moved or deleted since the library was last scanned.'
          : `Your browser could not play this file (${describe(file)}): it may be damaged, or use a variant of its format the browser does not support, and this server cannot convert it for the browser yet.`);
      });
      if (seekTo) {
        video.addEventListener('loadedmetadata', () => { video.currentTime = seekTo; }, { once: true });
      }
      video.src = file.stream_url || streamUrl(file.id);
      video.playbackRate = choice.speed;
      if (autoplay) video.play().catch(() => {});
      return;
    }
    if (await playHls(file, seekTo, autoplay)) return;
    if (unanswered) return;
    blame(`Your browser cannot decode ${describe(file)}, and this server cannot convert it for the browser yet. A player such as VLC or mpv can play the file directly.`);
  }

  // ---- watch state: where the viewer is, for "Resume" and "Continue watching" ----
  let lastReported = -1;
  let lastReportAt = 0;
  // force: pause, seek and close always report; the periodic one skips a
  // position the server already has.
  function report({ keepalive = false, ended = false, force = false } = {}) {
    const { file } = items[current] || {};
    if (!file || !Number.isFinite(video.currentTime) || unanswered) return;
    const duration = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : (file.duration || 0);
    const position = ended && duration ? duration : video.currentTime;
    if (!ended && (position <= 0 || (!force && Math.abs(position - lastReported) < 0.5))) return;
    lastReported = position;
    lastReportAt = Date.now();
    server.progress(file.id, position, duration, { keepalive })
      .then((answer) => { if (onProgress && answer) onProgress(file, answer.watch); })
      .catch(() => { /* a lost report is replaced by the next one */ });
  }
  video.addEventListener('timeupdate', () => {
    if (!video.paused && Date.now() - lastReportAt >= REPORT_EVERY_MS) report();
  });
  video.addEventListener('pause', () => { if (!video.ended) report({ force: true }); });
  video.addEventListener('seeked', () => report({ force: true }));
  const onPageHide = () => report({ keepalive: true, force: true });
  window.addEventListener('pagehide', onPageHide);

  // ---- the end: the next part, the next extra, or the film's extras ----
  let countdown = 0;
  function endOfAll() {
    if (upNext) {
      let left = UP_NEXT_SECONDS;
      const counter = h('span.player-upnext-count', String(left));
      const playNow = h('button.btn.btn-primary', { type: 'button', onclick: () => { clearInterval(countdown); upNext.play(); } }, 'Play now');
      const cancel = h('button.btn', {
        type: 'button',
        onclick: () => { clearInterval(countdown); endCard.hidden = true; controls.hidden = false; playButton.focus(); },
      }, 'Cancel');
      clear(endCard);
      endCard.append(h('div.player-upnext', { role: 'status' },
        h('p.player-upnext-label', 'Up next'),
        h('p.player-upnext-title', upNext.title),
        h('p.player-upnext-when', 'Starts in ', counter, ' s'),
        h('p.player-end-actions', playNow, cancel)));
      endCard.hidden = false;
      playNow.focus({ preventScroll: true });
      countdown = setInterval(() => {
        left -= 1;
        counter.textContent = String(Math.max(0, left));
        if (left <= 0) {
          clearInterval(countdown);
          if (!closed) upNext.play();
        }
      }, 1000);
    } else if (offers && offers.length) {
      clear(endCard);
      endCard.append(h('div.player-offers', { role: 'region', 'aria-label': 'Special features' },
        h('p.player-upnext-label', 'Special features of this film'),
        h('ul.player-offer-list', offers.slice(0, 8).map((o) => h('li',
          h('button.btn.player-offer', { type: 'button', onclick: () => o.play() }, '▶ ', o.title)))),
        h('p.player-end-actions', h('button.btn', {
          type: 'button', onclick: () => { endCard.hidden = true; controls.hidden = false; },
        }, 'Close'))));
      endCard.hidden = false;
      const first = endCard.querySelector('.player-offer');
      if (first) first.focus({ preventScroll: true });
    }
  }
  video.addEventListener('ended', () => {
    report({ ended: true });
    if (current + 1 < items.length) load(current + 1);
    else endOfAll();
  });

  function togglePlay() {
    if (video.paused || video.ended) video.play().catch(() => {});
    else video.pause();
  }
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else stage.requestFullscreen().catch(() => {});
  }
  function togglePip() {
    if (document.pictureInPictureElement) document.exitPictureInPicture().catch(() => {});
    else if (video.requestPictureInPicture) video.requestPictureInPicture().catch(() => {});
  }
  function cycleSubtitles() {
    const n = subsMenu.menu.querySelectorAll('[role=menuitemradio]:not([aria-disabled=true])').length - 1;
    if (n <= 0) return;
    const next = choice.subtitle + 1 < n ? choice.subtitle + 1 : -1;
    subsMenu.menu.querySelector(`[data-value="${next}"]`).click();
  }

  // Controls fade while playing and the pointer rests; any move, key or
  // focus inside brings them back.
  let idleTimer = 0;
  function wake() {
    element.classList.remove('player-idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!video.paused && !controls.contains(document.activeElement)) element.classList.add('player-idle');
    }, 3000);
  }
  stage.addEventListener('pointermove', wake);
  element.addEventListener('focusin', wake);
  video.addEventListener('click', togglePlay);

  // Keys work wherever focus is inside the player, including the video.
  element.addEventListener('keydown', (event) => {
    wake();
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const t = event.target;
    if (t.tagName === 'SELECT' || t.tagName === 'INPUT' && !['m', 'f', ' ', 'Escape'].includes(event.key)) return;
    if (t.tagName === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) return;
    if (t.closest && t.closest('.pc-menu')) return;
    if (t.classList && t.classList.contains('pc-menu-button') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) return;
    let handled = true;
    switch (event.key) {
      case ' ':
      case 'k':
        togglePlay();
        break;
      case 'ArrowLeft':
      case 'j':
        seekBy(event.shiftKey ? -30 : -10);
        break;
      case 'ArrowRight':
      case 'l':
        seekBy(event.shiftKey ? 30 : 10);
        break;
      case 'ArrowUp':
        video.volume = Math.min(1, video.volume + 0.1);
        break;
      case 'ArrowDown':
        video.volume = Math.max(0, video.volume - 0.1);
        break;
      case 'Home':
        seekTo(0);
        break;
      case 'f':
      case 'F':
        toggleFullscreen();
        break;
      case 'm':
      case 'M':
        video.muted = !video.muted;
        break;
      case 'c':
      case 'C':
        cycleSubtitles();
        break;
      case 'p':
      case 'P':
        togglePip();
        break;
      case '>':
      case '<': {
        const i = SPEEDS.indexOf(choice.speed) + (event.key === '>' ? 1 : -1);
        if (i >= 0 && i < SPEEDS.length) speedMenu.menu.querySelector(`[data-value="${SPEEDS[i]}"]`).click();
        break;
      }
      case 'Escape':
        if (document.fullscreenElement) handled = false;
        else api.close();
        break;
      default:
        if (/^[0-9]$/.test(event.key) && total()) seekTo(total() * Number(event.key) / 10);
        else handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  stage.addEventListener('dblclick', (e) => { if (e.target === video) toggleFullscreen(); });
  // Only the stage is on the screen in full screen: a focus left outside
  // it (the player's frame, after F) is dropped by the browser, and the
  // keys would stop working. The focus goes into the stage, and back to
  // the player when full screen ends with nothing focused.
  function onFullscreenChange() {
    if (closed) return;
    const active = document.activeElement;
    if (document.fullscreenElement === stage) {
      if (!stage.contains(active)) stage.focus({ preventScroll: true });
    } else if (!document.fullscreenElement && (!active || active === document.body)) {
      element.focus({ preventScroll: true });
    }
  }
  document.addEventListener('fullscreenchange', onFullscreenChange);

  const api = {
    element,
    video,
    close() {
      if (closed) return;
      report({ keepalive: true, force: true });
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('fullscreenchange', onFullscreenChange);
      closed = true;
      clearInterval(countdown);
      clearTimeout(stallTimer);
      clearTimeout(idleTimer);
      if (hls) {
        hls.destroy();
        hls = null;
      }
      video.removeAttribute('src');
      element.remove();
      if (onClose) onClose();
    },
  };
  close.addEventListener('click', () => api.close());
  host.prepend(element);
  load(index, startAt);
  paint();
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'start', behavior: 'smooth' });
  return api;
}
