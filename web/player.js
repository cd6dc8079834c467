// player: plays a film (its parts in order) or a special feature in place.
// Direct play of the file when the browser says it can decode it; HLS from
// the server (natively or through hls.js) when it cannot and the server
// offers it; otherwise a message a person can act on.
import { h, clear, languageName } from './dom.js';
import { api as server, streamUrl, hlsUrl } from './api.js';

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

// What the server offers as HLS for a file: {ok, subtitles} (the number of
// subtitle renditions in its master playlist). Asked once per file.
const hlsInfoCache = new Map();
function hlsInfo(fileId) {
  if (!hlsInfoCache.has(fileId)) {
    hlsInfoCache.set(fileId, (async () => {
      try {
        const res = await fetch(hlsUrl(fileId), { headers: { Accept: 'application/vnd.apple.mpegurl' } });
        if (!res.ok) return { ok: false, subtitles: 0 };
        const text = await res.text();
        return { ok: text.startsWith('#EXTM3U'), subtitles: (text.match(/#EXT-X-MEDIA:[^\n]*TYPE=SUBTITLES/g) || []).length };
      } catch {
        return { ok: false, subtitles: 0 };
      }
    })());
  }
  return hlsInfoCache.get(fileId);
}

function describe(file) {
  const bits = [];
  if (file.video && file.video.codec) bits.push(file.video.codec.toUpperCase());
  const a = (file.audio || [])[0];
  if (a && a.codec) bits.push(a.codec.toUpperCase());
  const c = containerOf(file);
  return `${bits.join(' and ') || 'this format'}${c ? ` in ${c.toUpperCase()}` : ''}`;
}

// "English" rather than "en" when a track's label is just its language.
function trackLabel(track, i) {
  const label = track.label && track.label !== track.language ? track.label : '';
  return label || languageName(track.language) || track.label || `Track ${i + 1}`;
}

// WebVTT tracks the server gives a URL for, for direct play.
function subtitleTracks(file) {
  return (file.subtitles || [])
    .map((s, i) => ({ ...s, index: i, src: s.url || s.vtt_url || null }))
    .filter((s) => s.src);
}

/*
 * openPlayer(host, {items, index, title}): shows a player at the top of host.
 * items: [{file, label}] played in order (a film's parts), index: first one;
 * startAt: the second to start the first one from (a resume).
 * Returns {element, close, video}.
 */
export function openPlayer(host, { items, index = 0, title, onClose, startAt = 0, onProgress }) {
  const video = h('video.player-video', { controls: true, playsInline: true, preload: 'auto', crossOrigin: 'anonymous' });
  const message = h('div.player-message', { role: 'alert', hidden: true });
  const partLabel = h('span.player-part');
  const subs = h('div.player-subs');
  const close = h('button.player-close', { type: 'button', 'aria-label': 'Close the player' }, '✕');
  const stage = h('div.player-stage', video, message);
  const element = h('section.player', { tabindex: '-1', 'aria-label': `Player: ${title}` },
    h('div.player-bar',
      h('h2.player-title', title, ' ', partLabel),
      close),
    stage,
    h('div.player-foot',
      subs,
      h('p.player-keys', { 'aria-hidden': 'true' },
        h('kbd', 'Space'), ' play/pause  ', h('kbd', '←'), h('kbd', '→'), ' 5 s  ',
        h('kbd', '↑'), h('kbd', '↓'), ' volume  ', h('kbd', 'F'), ' full screen  ', h('kbd', 'Esc'), ' close')));

  let hls = null;
  let current = index;
  let closed = false;

  function fail(text) {
    message.hidden = false;
    clear(message);
    message.append(h('p.player-message-title', 'This cannot be played here'), h('p', text));
    video.hidden = true;
  }

  function resetMedia() {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    message.hidden = true;
    video.hidden = false;
    while (video.firstChild) video.firstChild.remove();
    video.removeAttribute('src');
  }

  // mode: 'direct' or 'hls', for the file being played.
  let mode = 'direct';

  async function playHls(file, startAt = 0) {
    const url = hlsUrl(file.id);
    if (!(await hlsInfo(file.id)).ok) return false;
    if (closed) return true;
    mode = 'hls';
    if (startAt) {
      video.addEventListener('loadedmetadata', () => { video.currentTime = startAt; }, { once: true });
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
      hls = new Hls({ maxBufferLength: 30, startPosition: startAt || -1 });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        fail(data.type === Hls.ErrorTypes.NETWORK_ERROR
          ? 'The server stopped sending the stream. Check that cinemateca is still running, then try again.'
          : `Your browser could not decode the stream the server made of this file (${describe(file)}).`);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    }
    video.play().catch(() => {});
    return true;
  }

  // The subtitle menu lists the video's text tracks, whichever way they
  // came: <track> elements, native HLS renditions, or hls.js.
  function refreshSubtitles() {
    const file = items[current].file;
    const tracks = Array.from(video.textTracks).filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
    clear(subs);
    if (tracks.length) {
      const id = `subs-${file.id}`;
      const sel = h('select', { id },
        h('option', { value: '-1' }, 'Off'),
        tracks.map((t, i) => h('option', { value: String(i), selected: t.mode === 'showing' },
          trackLabel(t, i))));
      sel.addEventListener('change', () => {
        const chosen = Number(sel.value);
        tracks.forEach((t, i) => { t.mode = i === chosen ? 'showing' : 'disabled'; });
      });
      subs.append(h('label', { for: id }, 'Subtitles '), sel);
      return;
    }
    const embedded = (file.subtitles || []).length;
    hlsInfo(file.id).then((info) => {
      if (closed || items[current].file !== file || video.textTracks.length) return;
      clear(subs);
      if (mode === 'direct' && info.ok && (info.subtitles || embedded)) {
        // Streamed, the same film comes with its subtitles as WebVTT.
        subs.append(h('button.player-subs-switch', {
          type: 'button',
          onclick: async () => {
            const at = video.currentTime;
            const paused = video.paused;
            resetMedia();
            clear(subs);
            if (await playHls(file, at)) {
              if (paused) video.pause();
              refreshSubtitles();
            }
          },
        }, `Subtitles (${info.subtitles || embedded})…`));
      } else if (embedded) {
        subs.append(h('span.player-subs-note',
          `${embedded} subtitle track${embedded > 1 ? 's' : ''} in the file, which this server cannot send to a browser yet.`));
      }
    });
  }
  video.textTracks.addEventListener('addtrack', refreshSubtitles);
  video.textTracks.addEventListener('removetrack', refreshSubtitles);

  function addTrackElements(file) {
    for (const t of subtitleTracks(file)) {
      video.append(h('track', {
        kind: 'subtitles',
        src: t.src,
        srclang: (t.language || 'und').slice(0, 3),
        label: languageName(t.language) || t.title || `Track ${t.index + 1}`,
      }));
    }
  }

  async function load(i, seekTo = 0) {
    resetMedia();
    current = i;
    lastReported = -1;
    mode = 'direct';
    const { file } = items[i];
    partLabel.textContent = items.length > 1 ? `· ${items[i].label || `Part ${i + 1}`} of ${items.length}` : (items[i].label || '');
    const verdict = directPlayVerdict(video, file);
    if (verdict) {
      let triedHls = false;
      video.addEventListener('error', async function onError() {
        video.removeEventListener('error', onError);
        if (closed || triedHls || hls || mode !== 'direct') return;
        triedHls = true;
        const code = video.error && video.error.code;
        resetMedia();
        if (await playHls(file, seekTo)) return;
        fail(code === 2
          ? 'The file could not be read from the server. It may have been moved or deleted since the library was last scanned.'
          : `Your browser could not play this file (${describe(file)}): it may be damaged, or use a variant of its format the browser does not support, and this server cannot convert it for the browser yet.`);
      });
      addTrackElements(file);
      if (seekTo) {
        video.addEventListener('loadedmetadata', () => { video.currentTime = seekTo; }, { once: true });
      }
      video.src = file.stream_url || streamUrl(file.id);
      video.play().catch(() => {});
      refreshSubtitles();
      return;
    }
    if (await playHls(file, seekTo)) {
      refreshSubtitles();
      return;
    }
    fail(`Your browser cannot decode ${describe(file)}, and this server cannot convert it for the browser yet. A player such as VLC or mpv can play the file directly.`);
  }

  // ---- watch state: where the viewer is, for "Resume" and "Continue watching" ----
  let lastReported = -1;
  let lastReportAt = 0;
  // force: pause, seek and close always report; the periodic one skips a
  // position the server already has.
  function report({ keepalive = false, ended = false, force = false } = {}) {
    const { file } = items[current] || {};
    if (!file || !Number.isFinite(video.currentTime)) return;
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

  video.addEventListener('ended', () => {
    report({ ended: true });
    if (current + 1 < items.length) load(current + 1);
  });

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else stage.requestFullscreen().catch(() => {});
  }

  // Keys work wherever focus is inside the player, including the video.
  element.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const t = event.target;
    if (t.tagName === 'SELECT' || t.tagName === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) return;
    let handled = true;
    switch (event.key) {
      case ' ':
      case 'k':
        if (video.paused) video.play().catch(() => {});
        else video.pause();
        break;
      case 'ArrowLeft':
        video.currentTime = Math.max(0, video.currentTime - (event.shiftKey ? 30 : 5));
        break;
      case 'ArrowRight':
        video.currentTime = Math.min(video.duration || Infinity, video.currentTime + (event.shiftKey ? 30 : 5));
        break;
      case 'ArrowUp':
        video.volume = Math.min(1, video.volume + 0.1);
        break;
      case 'ArrowDown':
        video.volume = Math.max(0, video.volume - 0.1);
        break;
      case 'f':
      case 'F':
        toggleFullscreen();
        break;
      case 'm':
        video.muted = !video.muted;
        break;
      case 'Escape':
        if (document.fullscreenElement) handled = false;
        else api.close();
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  stage.addEventListener('dblclick', toggleFullscreen);

  const api = {
    element,
    video,
    close() {
      if (closed) return;
      report({ keepalive: true, force: true });
      window.removeEventListener('pagehide', onPageHide);
      closed = true;
      resetMedia();
      element.remove();
      if (onClose) onClose();
    },
  };
  close.addEventListener('click', () => api.close());
  host.prepend(element);
  load(index, startAt);
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'start', behavior: 'smooth' });
  return api;
}
