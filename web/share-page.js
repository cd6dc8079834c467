// share-page: the behaviour of a share's public page (/s/TOKEN) and of its
// embed page (/s/TOKEN/embed). The server writes the page; this reads
// /s/TOKEN/info.json and shows the player (live), a countdown to the
// opening in the viewer's own time zone (scheduled), or a closing note.
// Only textContent and element properties are set: no title or note can
// become markup, and the page's CSP allows no inline script anyway.
// The player offers the share's own subtitles (its master's SUBTITLES
// group: the film's text tracks, cut to a clip by the server), off unless
// the share's master marks one DEFAULT=YES.

import { languageName } from './dom.js';

const body = document.body;
const token = body.dataset.token;
const player = document.getElementById('share-player');
const status = document.getElementById('share-status');
let countdownTimer = null;

function say(text) {
  status.textContent = text;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

// "2 d 03:04:05" until t (ms since the epoch).
function until(t) {
  let s = Math.max(0, Math.round((t - Date.now()) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const clock = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return d > 0 ? `${d} d ${clock}` : clock;
}

function showScheduled(info) {
  const opens = new Date(info.opens_at);
  // (dateStyle cannot be combined with timeZoneName: fields one by one.)
  const when = opens.toLocaleString(undefined, {
    weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });
  const box = document.createElement('div');
  box.className = 'share-countdown';
  const line = document.createElement('p');
  line.textContent = `Opens ${when}`;
  const clock = document.createElement('p');
  clock.className = 'share-clock';
  clock.id = 'share-countdown';
  box.append(line, clock);
  player.replaceChildren(box);
  say('');
  const tick = () => {
    clock.textContent = until(opens.getTime());
    if (opens.getTime() <= Date.now()) {
      clearInterval(countdownTimer);
      countdownTimer = null;
      // A moment's grace for clocks that differ, then ask the server.
      setTimeout(load, 1500);
    }
  };
  tick();
  countdownTimer = setInterval(tick, 1000);
}

// A track's label: its language by name ("English"), else the name the
// master gives it; forced ones say so.
function trackLabel(lang, name, forced) {
  const label = languageName(lang) || name || 'Subtitles';
  return forced ? `${label} (forced)` : label;
}

// The subtitle choice beside the player: Off, then each track.
// tracks: [{label, default}]; choose(i) shows track i (-1: none).
function subtitleChoice(tracks, choose) {
  const wrap = document.createElement('label');
  wrap.className = 'share-subs';
  const caption = document.createElement('span');
  caption.textContent = 'Subtitles';
  const select = document.createElement('select');
  select.id = 'share-subtitles';
  const off = document.createElement('option');
  off.value = '-1';
  off.textContent = 'Off';
  select.append(off);
  tracks.forEach((t, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = t.label;
    option.lang = t.lang || '';
    select.append(option);
  });
  const first = tracks.findIndex((t) => t.default);
  select.value = String(first);
  choose(first);
  select.addEventListener('change', () => choose(Number(select.value)));
  wrap.append(caption, select);
  return wrap;
}

function showLive(info) {
  const video = document.createElement('video');
  video.controls = true;
  video.playsInline = true;
  video.preload = 'metadata';
  video.id = 'share-video';
  if (info.poster) video.poster = info.poster;
  player.replaceChildren(video);
  say('');
  if (window.Hls && window.Hls.isSupported()) {
    const hls = new window.Hls({ enableWorker: true });
    hls.on(window.Hls.Events.ERROR, (_e, data) => {
      if (data.fatal) say('This film cannot be played right now. Try again in a moment.');
    });
    hls.subtitleDisplay = false; // until the viewer (or the share) chooses
    // The tracks of the variant's SUBTITLES group, once its playlist is in;
    // chosen after hls.js's own pick of a DEFAULT=YES track (same rule).
    hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, (_e, data) => {
      const tracks = data.subtitleTracks.map((t) => ({
        label: trackLabel(t.lang, t.name, t.forced), lang: t.lang, default: t.default,
      }));
      const old = player.querySelector('.share-subs');
      if (old) old.remove();
      if (!tracks.length) return;
      setTimeout(() => player.append(subtitleChoice(tracks, (i) => {
        hls.subtitleTrack = i;
        hls.subtitleDisplay = i >= 0;
      })), 0);
    });
    hls.loadSource(info.hls);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari plays the HLS itself: its subtitle renditions arrive as text tracks.
    video.src = info.hls;
    video.addEventListener('loadedmetadata', () => {
      const native = Array.from(video.textTracks)
        .filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
      if (!native.length || document.getElementById('share-subtitles')) return;
      const tracks = native.map((t) => ({ label: trackLabel(t.language, t.label, false), lang: t.language }));
      player.append(subtitleChoice(tracks, (i) => {
        native.forEach((t, k) => { t.mode = k === i ? 'showing' : 'disabled'; });
      }));
    }, { once: true });
  } else {
    say('This browser cannot play this film.');
  }
}

async function load() {
  let response;
  try {
    response = await fetch(`/s/${encodeURIComponent(token)}/info.json`, { cache: 'no-store' });
  } catch {
    say('The server cannot be reached.');
    return;
  }
  if (response.status === 410) {
    player.replaceChildren();
    say('This share has closed.');
    return;
  }
  if (!response.ok) {
    say(response.status === 429 ? 'Too many requests; try again later.' : 'This share is not available.');
    return;
  }
  const info = await response.json();
  body.dataset.state = info.state;
  if (info.state === 'scheduled') showScheduled(info);
  else if (info.state === 'live' && info.hls) showLive(info);
  else {
    player.replaceChildren();
    say(body.dataset.available === 'no' ? 'This film is no longer available.' : 'This share has closed.');
  }
}

load().catch(() => say('This share could not be shown.'));
