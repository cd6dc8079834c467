// film: one film's page: backdrop and poster, titles, synopsis, credits,
// release timeline, special features by type, versions and parts, and
// technical details folded away. Everything playable plays in place.
import {
  h, formatRuntime, formatDuration, formatBytes, formatDate, countryName, languageName,
} from './dom.js';
import { api, posterUrl } from './api.js';
import { poster } from './poster.js';
import { openPlayer } from './player.js';
import { addShareButton } from './share-dialog.js';
import { editionChooser } from './editions.js';
import { discTitleControl } from './disc-title.js';
import { extraLabel } from './search.js';
import { editButton } from './edit.js';
import { filmFacts, moreLikeThis } from './film-more.js';

const EXTRA_ORDER = ['trailer', 'interview', 'featurette', 'behind_the_scenes', 'deleted_scene',
  'scene', 'clip', 'short', 'sample', 'other'];
const EXTRA_GROUPS = {
  trailer: 'Trailers', interview: 'Interviews', featurette: 'Featurettes',
  behind_the_scenes: 'Behind the scenes', deleted_scene: 'Deleted scenes', scene: 'Scenes',
  clip: 'Clips', short: 'Shorts', sample: 'Samples', other: 'Other extras',
};
const RELEASE_TYPES = {
  premiere: 'Premiere', festival: 'Festival', theatrical_limited: 'Limited release',
  theatrical: 'In cinemas', digital: 'Digital', physical: 'Home video', tv: 'Television',
};
// Crew jobs in the order a credit block reads them.
const CREW_ORDER = ['director', 'writer', 'producer', 'composer', 'cinematographer', 'editor'];
const JOB_LABELS = {
  director: ['Director', 'Directors'], writer: ['Writer', 'Writers'],
  producer: ['Producer', 'Producers'], composer: ['Music', 'Music'],
  cinematographer: ['Cinematography', 'Cinematography'], editor: ['Editing', 'Editing'],
};

function jobLabel(job, count) {
  const l = JOB_LABELS[job];
  if (l) return l[count > 1 ? 1 : 0];
  const words = String(job).replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function personLink(credit) {
  return h('a.person-link', { href: `/person/${credit.person_id}` }, credit.name);
}

// Parts of each version, in order: [{version, files: [...]}].
function versionsOf(files) {
  const map = new Map();
  for (const f of files) {
    const key = f.version || '';
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(f);
  }
  const list = [...map.entries()].map(([version, fs]) => ({
    version, files: fs.sort((a, b) => (a.part || 1) - (b.part || 1)),
  }));
  // The unnamed version (the plain file) first.
  return list.sort((a, b) => (a.version === '' ? -1 : b.version === '' ? 1 : a.version.localeCompare(b.version)));
}

function resolution(v) {
  if (!v || !v.width) return '';
  const label = v.height >= 2000 ? '4K' : v.height >= 1000 ? '1080p' : v.height >= 700 ? '720p' : v.height >= 560 ? 'SD' : '';
  return `${v.width}×${v.height}${label ? ` (${label})` : ''}`;
}

function channels(n) {
  return { 1: 'mono', 2: 'stereo', 6: '5.1', 8: '7.1' }[n] || (n ? `${n} ch` : '');
}

export async function renderFilm(root, id, { signal, params }) {
  const film = await api.film(id, { signal });
  const yearText = film.year ? ` (${film.year})` : '';
  document.title = `${film.title}${yearText} · cinemateca`;

  const credits = film.credits || [];
  const cast = credits.filter((c) => c.job === 'actor').sort((a, b) => (a.order ?? 999) - (b.order ?? 999));
  const crewJobs = new Map();
  for (const c of credits) {
    if (c.job === 'actor') continue;
    if (!crewJobs.has(c.job)) crewJobs.set(c.job, []);
    crewJobs.get(c.job).push(c);
  }
  const jobs = [...crewJobs.keys()].sort((a, b) => {
    const ia = CREW_ORDER.indexOf(a);
    const ib = CREW_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const directors = crewJobs.get('director') || [];
  const files = (film.files || []).filter((f) => !f.error);
  const versions = versionsOf(files);
  const page = h('article.film');
  let player = null;

  function play(items, title, index = 0, startAt = 0, more = {}) {
    if (player) player.close();
    player = openPlayer(page, {
      ...more, items, title, index, startAt,
      onClose: () => { player = null; },
      onProgress: (file, watch) => { file.watch = watch; },
    });
  }
  function playVersion(v, index = 0, startAt = 0) {
    play(v.files.map((f) => ({ file: f, label: v.files.length > 1 ? `Part ${f.part || 1}` : (v.version || '') })),
      film.title, index, startAt, { offers: extraOffers() });
  }
  // The player's end of a film offers its extras; the end of an extra
  // counts down to the next one, in the order the page lists them.
  function extrasInPageOrder() {
    const byId = new Map((film.extras || []).map((x) => [String(x.id), x]));
    return [...page.querySelectorAll('.extra-play')].map((b) => byId.get(b.dataset.extraId)).filter(Boolean);
  }
  function extraOffers() {
    return extrasInPageOrder().map((x) => ({ title: x.title, play: () => playExtra(x) }));
  }
  // Where the viewer left off: the main file played last, if unfinished.
  function resumePoint() {
    let best = null;
    versions.forEach((v) => v.files.forEach((f, index) => {
      const w = f.watch;
      if (!w || !(w.position > 0)) return;
      if (!best || String(w.last_played) > String(best.file.watch.last_played)) best = { version: v, index, file: f };
    }));
    return best;
  }
  async function playExtra(x) {
    let file = { id: x.file_id, path: x.path, duration: x.duration, stream_url: x.stream_url };
    try {
      const full = await api.extra(x.id, { signal });
      if (full && full.file) file = full.file;
    } catch {
      /* the summary is enough to try direct play */
    }
    const order = extrasInPageOrder();
    const next = order[order.indexOf(x) + 1];
    play([{ file, label: extraLabel(x.type) }], x.title, 0, 0,
      { upNext: next ? { title: next.title, play: () => playExtra(next) } : null });
  }

  // ---- hero ----
  // No backdrop: the poster, blurred into a wash of its colours.
  const backdropUrl = film.backdrop_url || posterUrl(film, 300);
  const backdrop = backdropUrl
    ? h(film.backdrop_url ? 'img.film-backdrop' : 'img.film-backdrop.film-backdrop-blur',
      { src: backdropUrl, alt: '', 'aria-hidden': 'true', onerror: (e) => e.target.remove() })
    : null;
  const metaBits = [
    film.year ? h('a', { href: `/?decade=${Math.floor(film.year / 10) * 10}` }, String(film.year)) : null,
    film.runtime ? h('span', formatRuntime(film.runtime)) : null,
    ...(film.genres || []).map((g) => h('a', { href: `/?genre=${encodeURIComponent(g)}` }, g)),
  ].filter(Boolean);
  const meta = h('p.film-meta');
  metaBits.forEach((b, i) => meta.append(...(i ? [h('span.sep', { 'aria-hidden': 'true' }, ' · '), b] : [b])));

  const playButtons = h('div.film-actions');
  const resume = resumePoint();
  if (resume) {
    const at = resume.file.watch.position;
    playButtons.append(
      h('button.btn.btn-primary', {
        type: 'button',
        dataset: { play: 'resume' },
        onclick: () => playVersion(resume.version, resume.index, at),
      }, h('span.btn-icon', { 'aria-hidden': 'true' }, '▶'), `Resume from ${formatDuration(at)}`),
      h('button.btn', {
        type: 'button',
        dataset: { play: 'film' }, // from the start, as Play does
        onclick: () => playVersion(resume.version, 0, 0),
      }, 'Start over'));
  }
  if (versions.length && !resume) {
    versions.forEach((v, i) => {
      const label = versions.length > 1 ? `Play ${v.version || 'original version'}` : 'Play';
      playButtons.append(h(i === 0 ? 'button.btn.btn-primary' : 'button.btn', {
        type: 'button',
        dataset: { play: 'film' },
        onclick: () => playVersion(v),
      }, h('span.btn-icon', { 'aria-hidden': 'true' }, '▶'), label,
      v.files.length > 1 ? h('span.btn-note', ` · ${v.files.length} parts`) : null));
    });
  } else if (!versions.length) {
    playButtons.append(h('p.film-unplayable', 'No playable file for this film.'));
  }
  if (resume && versions.length > 1) {
    versions.forEach((v) => playButtons.append(h('button.btn', { type: 'button', onclick: () => playVersion(v) },
      `Play ${v.version || 'original version'}`)));
  }
  const watched = Boolean(film.watch && film.watch.watched);
  const watchedButton = h('button.btn.btn-watched', {
    type: 'button',
    'aria-pressed': String(watched),
    onclick: async () => {
      const now = watchedButton.getAttribute('aria-pressed') !== 'true';
      watchedButton.disabled = true;
      try {
        await api.setWatched(film.id, now);
        watchedButton.setAttribute('aria-pressed', String(now));
        watchedButton.textContent = now ? '✓ Watched' : 'Mark as watched';
      } catch {
        /* the button keeps saying what is true */
      } finally {
        watchedButton.disabled = false;
      }
    },
  }, watched ? '✓ Watched' : 'Mark as watched');
  playButtons.append(editionChooser(film, (items, i, at) => play(items, film.title, i, at)) || '', watchedButton);
  addShareButton(playButtons, film);
  const trailer = (film.extras || []).find((x) => x.type === 'trailer');
  if (trailer) {
    playButtons.append(h('button.btn', { type: 'button', onclick: () => playExtra(trailer) },
      h('span.btn-icon', { 'aria-hidden': 'true' }, '▶'), 'Trailer'));
  }

  const edit = editButton(film, {
    onSaved: () => import('./app.js').then((app) => app.navigate(location.pathname, { replace: true })),
  });
  if (edit) playButtons.append(edit);
  const discTitle = discTitleControl(film, {
    onSaved: () => import('./app.js').then((app) => app.navigate(location.pathname, { replace: true })),
  });
  const hero = h('header.film-hero', backdrop,
    h('div.film-hero-inner',
      poster(film, { width: 400, className: 'film-poster', eager: true }),
      h('div.film-heading',
        directors.length ? h('p.film-kicker', 'A film by ', directors.map((d, i) => [i ? ' and ' : '', personLink(d)])) : null,
        h('h1.film-title', { tabindex: '-1' }, film.title),
        film.original_title && film.original_title !== film.title
          ? h('p.film-original', h('span.visually-hidden', 'Original title: '), film.original_title) : null,
        meta,
        film.offline ? h('p.film-offline', { role: 'status' },
          'Offline: the library folder this film is on cannot be reached (an unmounted disk?). Nothing was removed; it comes back when the folder does.') : null,
        film.tagline ? h('p.film-tagline', film.tagline) : null,
        filmFacts(film),
        playButtons, discTitle)));
  page.append(hero);

  const body = h('div.film-body');
  page.append(body);

  // ---- synopsis and credits ----
  const synopsis = film.plot || film.outline;
  const countries = film.countries || [];
  const studios = film.studios || [];
  body.append(h('section.film-synopsis', { 'aria-labelledby': 'h-synopsis' },
    h('h2', { id: 'h-synopsis' }, 'Synopsis'),
    synopsis ? h('p.prose', synopsis) : h('p.muted', 'No synopsis yet.'),
    countries.length || studios.length ? h('dl.facts',
      countries.length ? [h('dt', countries.length > 1 ? 'Countries' : 'Country'), h('dd', countries.join(', '))] : null,
      studios.length ? [h('dt', studios.length > 1 ? 'Studios' : 'Studio'), h('dd', studios.join(', '))] : null) : null));

  if (cast.length || jobs.length) {
    body.append(h('section.film-credits', { 'aria-labelledby': 'h-credits' },
      h('h2', { id: 'h-credits' }, 'Cast and crew'),
      cast.length ? h('ol.cast', { 'aria-label': 'Cast' }, cast.map((c) => h('li.cast-member',
        personLink(c),
        c.character ? h('span.character', c.character) : null))) : null,
      jobs.length ? h('dl.crew', jobs.map((job) => {
        const people = crewJobs.get(job);
        return [h('dt', jobLabel(job, people.length)),
          h('dd', people.map((p, i) => [i ? ', ' : '', personLink(p)]))];
      })) : null));
  }

  // ---- release timeline ----
  const releases = [...(film.releases || [])].sort((a, b) => {
    if (!a.date) return 1;
    if (!b.date) return -1;
    return a.date.localeCompare(b.date);
  });
  if (releases.length) {
    body.append(h('section.film-releases', { 'aria-labelledby': 'h-releases' },
      h('h2', { id: 'h-releases' }, 'Release history'),
      h('ol.timeline', releases.map((r) => {
        const headline = r.event || r.distributor || r.format || RELEASE_TYPES[r.type] || r.type;
        const details = [
          r.section,
          r.event && r.distributor ? r.distributor : null,
          r.format && headline !== r.format ? r.format : null,
          r.distributor && !r.event && headline !== r.distributor ? r.distributor : null,
          countryName(r.country),
        ].filter(Boolean);
        return h('li.release', { dataset: { type: r.type } },
          h('time.release-date', r.date ? { datetime: r.date } : {}, formatDate(r.date)),
          h('span.release-type', RELEASE_TYPES[r.type] || r.type),
          h('span.release-what', headline),
          details.length ? h('span.release-details', details.join(' · ')) : null,
          r.note ? h('span.release-note', r.note) : null);
      }))));
  }

  // ---- special features ----
  const extras = film.extras || [];
  if (extras.length) {
    const groups = new Map();
    for (const x of extras) {
      const type = EXTRA_ORDER.includes(x.type) ? x.type : 'other';
      if (!groups.has(type)) groups.set(type, []);
      groups.get(type).push(x);
    }
    // In the order of their file names ("Clip 1", "Clip 2", ... "Clip 10").
    const byName = (x) => String(x.path || x.title || '').split('/').pop();
    for (const list of groups.values()) {
      list.sort((a, b) => byName(a).localeCompare(byName(b), undefined, { numeric: true }));
    }
    const ordered = EXTRA_ORDER.filter((t) => groups.has(t));
    body.append(h('section.film-extras', { 'aria-labelledby': 'h-extras' },
      h('h2', { id: 'h-extras' }, 'Special features'),
      ordered.map((type) => h('section.extra-group', { dataset: { type } },
        h('h3', EXTRA_GROUPS[type]),
        h('ul.extras', groups.get(type).map((x) => h('li.extra',
          h('button.extra-play', {
            type: 'button',
            dataset: { extraId: x.id },
            // The name says what the eye sees, duration included.
            'aria-label': `Play ${extraLabel(x.type).toLowerCase()}: ${x.title}${x.duration ? `, ${formatDuration(x.duration)}` : ''}`,
            onclick: () => playExtra(x),
          },
          h('span.extra-icon', { 'aria-hidden': 'true' }, '▶'),
          h('span.extra-title', x.title),
          x.duration ? h('span.extra-duration', formatDuration(x.duration)) : null),
          x.plot ? h('p.extra-plot', x.plot) : null)))))));
  }

  // ---- versions and parts ----
  if (files.length > 1) {
    body.append(h('section.film-files', { 'aria-labelledby': 'h-files' },
      h('h2', { id: 'h-files' }, versions.length > 1 ? 'Versions' : 'Parts'),
      h('ul.versions', versions.map((v) => h('li.version',
        h('span.version-name', v.version || (versions.length > 1 ? 'Original version' : film.title)),
        h('ul.parts', v.files.map((f) => h('li',
          h('button.part-play', {
            type: 'button',
            onclick: () => play([{ file: f, label: v.files.length > 1 ? `Part ${f.part || 1}` : (v.version || '') }], film.title),
          }, h('span', { 'aria-hidden': 'true' }, '▶ '),
          v.files.length > 1 ? `Part ${f.part || 1}` : 'Play',
          f.duration ? h('span.muted', ` ${formatDuration(f.duration)}`) : null)))))))));
  }

  // ---- technical details ----
  if ((film.files || []).length) {
    body.append(h('details.film-tech',
      h('summary', 'Technical details'),
      (film.files || []).map((f) => {
        const v = f.video;
        const rows = [
          ['File', [f.version, (film.files.length > 1 && f.part) ? `part ${f.part}` : null].filter(Boolean).join(', ') || 'Main file'],
          ['Container', f.container],
          ['Duration', formatDuration(f.duration)],
          ['Size', formatBytes(f.size)],
          ['Video', v ? [v.codec && v.codec.toUpperCase(), resolution(v), v.frame_rate ? `${Number(v.frame_rate).toFixed(3).replace(/\.?0+$/, '')} fps` : null,
            v.bit_depth ? `${v.bit_depth}-bit` : null, v.hdr].filter(Boolean).join(' · ') : 'none'],
          ['Audio', (f.audio || []).map((a) => [languageName(a.language) || 'Unknown language',
            a.codec && a.codec.toUpperCase(), channels(a.channels)].filter(Boolean).join(' ')).join('; ') || 'none'],
          ['Subtitles', (f.subtitles || []).map((s) => [languageName(s.language) || 'Unknown language',
            s.forced ? '(forced)' : null, s.codec].filter(Boolean).join(' ')).join('; ') || 'none'],
          f.error ? ['Problem', f.error] : null,
        ].filter((r) => r && r[1]);
        return h('dl.tech', rows.map(([k, val]) => [h('dt', k), h('dd', val)]));
      })));
  }

  page.append(moreLikeThis(film, signal));
  root.append(page);

  // ?play=extra-12 or ?play=file-3 (from search results) opens the player.
  const want = params.get('play');
  if (want) {
    const [kind, wantId] = want.split('-');
    if (kind === 'extra') {
      const x = extras.find((e) => String(e.id) === wantId);
      if (x) playExtra(x);
    } else if (kind === 'file') {
      const f = files.find((e) => String(e.id) === wantId);
      if (f) play([{ file: f, label: f.version || '' }], film.title);
    }
  }
  return () => { if (player) player.close(); };
}
