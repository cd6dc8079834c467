// disc-title: on a film page, for an admin, which title of the film's disc
// is the film. A disc's own rules pick the main title, and some discs hide
// the film among look-alike playlists; the admin's choice is written into
// the film's .nfo as <disctitle> (so a fresh catalog keeps it) and the
// library is rescanned. Viewers never see it (the server answers them as
// if the route did not exist).
import { api } from './api.js';
import { h, formatDuration } from './dom.js';
import { session } from './session.js';

const ROLE = {
  main: 'the film', extra: 'special feature', part: 'a piece of the film',
  duplicate: 'a copy of another title', loop: 'repeats itself',
};

function titleName(kind, t) {
  const what = kind === 'dvd' ? `Title ${t.number}` : `Playlist ${String(t.number).padStart(5, '0')}`;
  const facts = [formatDuration(t.duration), t.chapters ? `${t.chapters} chapters` : '', ROLE[t.role] || t.role];
  return `${what} · ${facts.filter(Boolean).join(' · ')}`;
}

function discMain(film) {
  for (const e of film.editions || []) {
    for (const v of e.versions || []) {
      if (v.kind === 'bluray' || v.kind === 'dvd') return (v.files && v.files[0]) || {};
    }
  }
  return null;
}

// film: the /api/v1/films/{id} record; onSaved() once the rescan put the
// choice into the catalog (or after a while without it). null when the
// person is not an admin or the film has no disc.
export function discTitleControl(film, { onSaved } = {}) {
  if (!session.admin || !discMain(film)) return null;
  const select = h('select#disc-title-select', { 'aria-label': 'Main title of the disc', disabled: true },
    h('option', { value: '' }, 'Reading the disc…'));
  const save = h('button.btn#disc-title-save', { type: 'button', disabled: true }, 'Use this title');
  const status = h('p.disc-title-status', { role: 'status', 'aria-live': 'polite' });
  const box = h('details.disc-title#disc-title',
    h('summary', 'Disc: which title is the film'),
    h('p.disc-title-help', 'The disc\'s own rules chose its main title. If they chose wrong, pick the film here: ',
      'the choice is written into the film\'s .nfo and the library is rescanned.'),
    h('label.edition-field', 'Main title ', select), save, status);
  let loaded = false;

  async function load() {
    if (loaded) return;
    loaded = true;
    try {
      const info = await api.discTitles(film.id);
      const options = [h('option', { value: '' }, 'The disc\'s own choice')];
      for (const disc of info.discs || []) {
        for (const t of disc.titles || []) {
          options.push(h('option', { value: String(t.number), selected: info.chosen === t.number },
            titleName(disc.kind, t)));
        }
      }
      select.replaceChildren(...options);
      if (info.chosen === null) select.value = '';
      select.disabled = false;
      save.disabled = false;
    } catch (err) {
      status.textContent = err.message;
    }
  }

  async function waitForRescan(before) {
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        const now = discMain(await api.film(film.id));
        if (now && (now.id !== before.id || now.duration !== before.duration)) return;
      } catch {
        return;
      }
    }
  }

  box.addEventListener('toggle', () => { if (box.open) load(); });
  save.addEventListener('click', async () => {
    const title = select.value ? Number(select.value) : null;
    save.disabled = true;
    status.textContent = 'Saving…';
    try {
      const before = discMain(film);
      const res = await api.setDiscTitle(film.id, title);
      status.textContent = `Saved in ${res.nfo}. The library is being rescanned…`;
      if (res.rescan) await waitForRescan(before);
      status.textContent = 'Saved.';
      if (onSaved) onSaved();
    } catch (err) {
      status.textContent = err.message;
    } finally {
      save.disabled = false;
    }
  });
  return box;
}
