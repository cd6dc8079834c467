// edit: the film editor, for admins. What is saved goes into an .nfo
// beside the film (and its poster and backdrop beside it too), so the
// library keeps it through a fresh catalog; the server refuses everyone
// else. Field errors from the server are shown beside their fields.
import { h } from './dom.js';
import { session } from './session.js';

const RELEASE_TYPES = [
  ['premiere', 'Premiere'], ['festival', 'Festival'], ['theatrical_limited', 'Limited release'],
  ['theatrical', 'In cinemas'], ['digital', 'Digital'], ['physical', 'Home video'], ['tv', 'Television'],
];
const JOBS = ['actor', 'director', 'writer', 'producer', 'composer', 'cinematographer', 'editor'];

let serial = 0;
const uid = (name) => `edit-${name}-${++serial}`;

// A labelled input with a place for its error (aria-describedby).
function field(label, input, { hint } = {}) {
  const id = input.id || uid('f');
  input.id = id;
  const error = h('span.edit-error', { id: `${id}-error`, role: 'alert' });
  input.setAttribute('aria-describedby', `${id}-error`);
  return { row: h('div.edit-field', h('label', { for: id }, label), input, hint ? h('span.edit-hint', hint) : null, error), input, error };
}

function text(name, value, attrs = {}) {
  return h('input', { type: 'text', name, value: value ?? '', autocomplete: 'off', ...attrs });
}

async function call(method, url, body, contentType) {
  let res;
  try {
    res = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}) },
      body,
    });
  } catch {
    return { status: 0, body: { error: { message: 'cinemateca is not answering.' } } };
  }
  let json = null;
  try { json = await res.json(); } catch { json = null; }
  return { status: res.status, body: json };
}

function personRow(p = {}) {
  const name = text('name', p.name, { 'aria-label': 'Name' });
  const job = h('input', { type: 'text', name: 'job', value: p.job || 'actor', list: 'edit-jobs', 'aria-label': 'Job' });
  const character = text('character', p.character, { 'aria-label': 'Character (actors)' });
  const error = h('span.edit-error', { role: 'alert' });
  const row = h('li.edit-person', name, job, character,
    h('button.btn.btn-small', { type: 'button', 'aria-label': 'Remove this person', onclick: () => row.remove() }, '✕'), error);
  row.read = () => ({ name: name.value, job: job.value.trim().toLowerCase(), character: character.value || null });
  row.error = error;
  return row;
}

function releaseRow(r = {}) {
  const type = h('select', { name: 'type', 'aria-label': 'Kind of release' },
    RELEASE_TYPES.map(([v, l]) => h('option', { value: v, selected: r.type === v }, l)));
  const date = text('date', r.date, { 'aria-label': 'Date (YYYY-MM-DD)', placeholder: 'YYYY-MM-DD', size: 10 });
  const country = text('country', r.country, { 'aria-label': 'Country (two letters)', placeholder: 'FR', size: 2, maxlength: 2 });
  const what = text('event', r.event || r.distributor || r.format, { 'aria-label': 'Festival, distributor or format' });
  const note = text('note', r.note, { 'aria-label': 'Note' });
  const error = h('span.edit-error', { role: 'alert' });
  const row = h('li.edit-release', type, date, country, what, note,
    h('button.btn.btn-small', { type: 'button', 'aria-label': 'Remove this release', onclick: () => row.remove() }, '✕'), error);
  row.read = () => {
    const out = { type: type.value, date: date.value || null, country: country.value || null, note: note.value || null };
    // The one "what" box is a festival's event, a home release's format,
    // or else the distributor: what the film page shows as its headline.
    const key = type.value === 'festival' || type.value === 'premiere' ? 'event'
      : type.value === 'physical' ? (r.format ? 'format' : 'distributor') : 'distributor';
    if (what.value) out[key] = what.value;
    if (r.section) out.section = r.section;
    return out;
  };
  row.error = error;
  return row;
}

// The editor for film, in a modal dialog; onSaved() after a save.
export function openEditor(film, { onSaved } = {}) {
  const credits = [...(film.credits || [])].sort((a, b) =>
    (a.job === 'actor') - (b.job === 'actor') || (a.order ?? 0) - (b.order ?? 0));
  const edition = (film.editions || []).map((e) => e.label).find(Boolean) || '';
  const f = {
    title: field('Title', text('title', film.title, { required: true })),
    original_title: field('Original title', text('original_title', film.original_title)),
    sort_title: field('Sort title', text('sort_title', film.sort_title), { hint: 'How it files in lists, when not by its title.' }),
    year: field('Year', h('input', { type: 'number', name: 'year', value: film.year || '', min: 1870, max: 2200, step: 1 })),
    tagline: field('Tagline', text('tagline', film.tagline)),
    plot: field('Plot', h('textarea', { name: 'plot', rows: 5 }, film.plot || '')),
    genres: field('Genres', text('genres', (film.genres || []).join(', ')), { hint: 'Separated by commas.' }),
    collection: field('Collection', text('collection', film.set && film.set.name ? film.set.name : (typeof film.set === 'string' ? film.set : ''))),
    edition: field('Edition', text('edition', edition), { hint: "This file's cut: Director's Cut, Extended..." }),
  };
  const people = h('ol.edit-people', credits.map((c) => personRow(c)));
  const releases = h('ol.edit-releases', (film.releases || []).map((r) => releaseRow(r)));
  const status = h('p.edit-status', { role: 'status', 'aria-live': 'polite' });
  const ask = h('div.edit-ask', { hidden: true });
  const artStatus = h('p.edit-status', { role: 'status', 'aria-live': 'polite' });

  function clearErrors() {
    for (const x of Object.values(f)) { x.error.textContent = ''; x.input.removeAttribute('aria-invalid'); }
    for (const row of [...people.children, ...releases.children]) row.error.textContent = '';
    status.textContent = '';
  }

  function showErrors(fields) {
    let first = null;
    for (const [key, message] of Object.entries(fields || {})) {
      const [group, index] = key.split('.');
      if (group === 'people' || group === 'releases') {
        const list = group === 'people' ? people : releases;
        const row = index !== undefined ? list.children[Number(index)] : null;
        const target = row ? row.error : (group === 'people' ? peopleError : releasesError);
        target.textContent = message;
        first = first || (row ? row.querySelector('input, select') : null);
      } else if (f[group]) {
        f[group].error.textContent = message;
        f[group].input.setAttribute('aria-invalid', 'true');
        first = first || f[group].input;
      }
    }
    if (first) first.focus();
  }

  function body() {
    const year = f.year.input.value.trim();
    return {
      title: f.title.input.value,
      original_title: f.original_title.input.value || null,
      sort_title: f.sort_title.input.value || null,
      year: year === '' ? null : Number(year),
      tagline: f.tagline.input.value || null,
      plot: f.plot.input.value || null,
      genres: f.genres.input.value.split(',').map((g) => g.trim()).filter(Boolean),
      collection: f.collection.input.value || null,
      edition: f.edition.input.value || null,
      people: [...people.children].map((row) => row.read()),
      releases: [...releases.children].map((row) => row.read()),
    };
  }

  async function save(overwrite = false) {
    clearErrors();
    ask.hidden = true;
    const payload = body();
    if (overwrite) payload.overwrite = true;
    status.textContent = 'Saving…';
    const res = await call('PUT', `/api/v1/films/${film.id}/metadata`, JSON.stringify(payload), 'application/json');
    const err = res.body && res.body.error;
    if (res.status === 200) {
      status.textContent = 'Saved to the .nfo beside the film.';
      dialog.close();
      if (onSaved) onSaved();
      return;
    }
    if (res.status === 409 && err && err.code === 'nfo_hand_written') {
      status.textContent = '';
      ask.hidden = false;
      ask.querySelector('button').focus();
      return;
    }
    status.textContent = (err && err.message) || `The server answered ${res.status}.`;
    if (err && err.fields) showErrors(err.fields);
  }

  ask.append(h('p', 'This film has an .nfo that was not written here (by hand, or by another program). Replace your .nfo? The old one is kept beside it as .nfo.bak.'),
    h('button.btn.btn-primary#edit-replace', { type: 'button', onclick: () => save(true) }, 'Replace your .nfo'),
    h('button.btn', { type: 'button', onclick: () => { ask.hidden = true; } }, 'Keep it'));

  // ---- artwork ----
  async function sendArt(kind, file) {
    artStatus.textContent = `Uploading the ${kind}…`;
    const res = await call('POST', `/api/v1/films/${film.id}/${kind}`, file, file.type || 'application/octet-stream');
    artStatus.textContent = res.status === 200 ? `New ${kind} saved beside the film.`
      : ((res.body && res.body.error && res.body.error.message) || `The server answered ${res.status}.`);
    if (res.status === 200) refreshPreview(kind);
  }
  const previews = {
    poster: h('img.edit-preview-poster', { alt: 'Current poster', src: `/api/v1/films/${film.id}/poster?w=200` }),
    backdrop: h('img.edit-preview-backdrop', { alt: 'Current backdrop', src: film.backdrop_url || null, hidden: !film.backdrop_url }),
  };
  // Artwork is cached for a day under the same address: after a change,
  // the copies the app asks for (whole, and the widths the pages use) are
  // fetched again so the browser's cache holds the new picture.
  async function refreshPreview(kind) {
    const base = `/api/v1/films/${film.id}/${kind}`;
    await Promise.all(['', '?w=200', '?w=300', '?w=400'].map((q) =>
      fetch(base + q, { cache: 'reload', credentials: 'same-origin' }).catch(() => null)));
    previews[kind].hidden = false;
    previews[kind].src = `${base}${kind === 'poster' ? '?w=200' : ''}`;
    changedArt = true;
  }
  let changedArt = false;
  const upload = (kind) => h('input', {
    type: 'file', accept: 'image/jpeg,image/png,image/webp', id: `edit-upload-${kind}`,
    onchange: (e) => { if (e.target.files[0]) sendArt(kind, e.target.files[0]); },
  });
  const duration = Math.floor(((film.files || [])[0] || {}).duration || 0);
  const at = h('input#edit-frame-time', { type: 'number', min: 0, max: duration || undefined, step: 1, value: Math.floor(duration / 3) || 0 });
  const scrub = h('input#edit-frame-scrub', { type: 'range', min: 0, max: duration || 0, step: 1, value: at.value, 'aria-label': 'Time in the film' });
  scrub.addEventListener('input', () => { at.value = scrub.value; });
  at.addEventListener('input', () => { scrub.value = at.value; });
  async function frame(kind) {
    artStatus.textContent = `Cutting the ${kind} from ${at.value} s…`;
    const res = await call('POST', `/api/v1/films/${film.id}/${kind}/frame?t=${encodeURIComponent(at.value)}`);
    artStatus.textContent = res.status === 200 ? `New ${kind} cut from the film at ${at.value} s.`
      : ((res.body && res.body.error && res.body.error.message) || `The server answered ${res.status}.`);
    if (res.status === 200) refreshPreview(kind);
  }

  const peopleError = h('span.edit-error', { role: 'alert' });
  const releasesError = h('span.edit-error', { role: 'alert' });
  const form = h('form.edit-form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); save(false); } },
    h('fieldset', h('legend', 'Titles'), f.title.row, f.original_title.row, f.sort_title.row, f.year.row),
    h('fieldset', h('legend', 'Story'), f.tagline.row, f.plot.row, f.genres.row, f.collection.row, f.edition.row),
    h('fieldset', h('legend', 'People and roles'), people, peopleError,
      h('button.btn.btn-small#edit-add-person', { type: 'button', onclick: () => { const r = personRow(); people.append(r); r.querySelector('input').focus(); } }, 'Add a person')),
    h('fieldset', h('legend', 'Release history'), releases, releasesError,
      h('button.btn.btn-small#edit-add-release', { type: 'button', onclick: () => { const r = releaseRow({ type: 'festival' }); releases.append(r); r.querySelector('select').focus(); } }, 'Add a release')),
    h('fieldset.edit-art', h('legend', 'Poster and backdrop'),
      h('div.edit-previews', previews.poster, previews.backdrop),
      h('div.edit-field', h('label', { for: 'edit-upload-poster' }, 'Upload a poster'), upload('poster')),
      h('div.edit-field', h('label', { for: 'edit-upload-backdrop' }, 'Upload a backdrop'), upload('backdrop')),
      h('div.edit-field', h('label', { for: 'edit-frame-time' }, 'Or take a frame of the film at (seconds)'),
        h('div.edit-frame-pick', scrub, at),
        h('div.edit-frame-buttons',
          h('button.btn.btn-small#edit-frame-poster', { type: 'button', onclick: () => frame('poster') }, 'Use as poster'),
          h('button.btn.btn-small#edit-frame-backdrop', { type: 'button', onclick: () => frame('backdrop') }, 'Use as backdrop'))),
      artStatus),
    h('datalist#edit-jobs', JOBS.map((j) => h('option', { value: j }))),
    ask,
    h('div.edit-actions', status,
      h('button.btn#edit-cancel', { type: 'button', onclick: () => dialog.close() }, 'Close'),
      h('button.btn.btn-primary#edit-save', { type: 'submit' }, 'Save')));

  const dialog = h('dialog.edit-dialog', { 'aria-labelledby': 'edit-heading' },
    h('h2#edit-heading', `Edit ${film.title}`), form);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (changedArt && onSaved) onSaved();
  });
  document.body.append(dialog);
  dialog.showModal();
  f.title.input.focus();
  return dialog;
}

// The film page's "Edit" button: for admins only (the server refuses the
// edit routes to anyone else all the same).
export function editButton(film, { onSaved } = {}) {
  if (!session.admin) return null;
  return h('button.btn#edit-film', { type: 'button', onclick: () => openEditor(film, { onSaved }) }, 'Edit');
}
