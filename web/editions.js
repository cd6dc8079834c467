// editions: on a film page, when the film has more than one edition (a cut:
// Theatrical, Director's Cut) or more than one version of an edition (a copy:
// 1080p, 4K HDR, a disc), a chooser before play: first the edition, then the
// version, then Play. Each edition keeps its own place (the API's watch state
// is shared by the versions of one edition), so the choice resumes where that
// cut was left.
import { h } from './dom.js';

const DEFAULT_EDITION = 'Standard edition';

function versionLabel(v) {
  if (v.label) return v.label;
  if (v.kind === 'bluray') return 'Blu-ray';
  if (v.kind === 'dvd') return 'DVD';
  return 'Original version';
}

// The version's playable files, parts in order; a disc plays its main title.
function playableFiles(v, filesById) {
  return (v.files || [])
    .filter((f) => !f.error && (!f.title_kind || f.title_kind === 'main'))
    .map((f) => ({ ...f, ...(filesById.get(f.id) || {}) }));
}

function resumeOf(files) {
  let best = null;
  files.forEach((f, index) => {
    const w = f.watch;
    if (!w || !(w.position > 0)) return;
    if (!best || String(w.last_played) > String(best.file.watch.last_played)) best = { index, file: f };
  });
  return best;
}

// film: the /api/v1/films/{id} record; play(items, index, startAt) opens the
// player. Returns the chooser, or null when there is nothing to choose.
export function editionChooser(film, play) {
  const editions = (film.editions || []).filter((e) => (e.versions || []).length);
  const versionCount = editions.reduce((n, e) => n + e.versions.length, 0);
  if (editions.length < 2 && versionCount < 2) return null;
  const filesById = new Map((film.files || []).map((f) => [f.id, f]));

  const editionSelect = h('select.edition-select', { 'aria-label': 'Edition' },
    editions.map((e, i) => h('option', { value: String(i) },
      `${e.label || DEFAULT_EDITION}${e.runtime >= 60 ? ` (${Math.round(e.runtime / 60)} min)` : ''}`)));
  const versionSelect = h('select.version-select', { 'aria-label': 'Version' });
  const playButton = h('button.btn.btn-primary.edition-play', { type: 'button', dataset: { play: 'edition' } },
    h('span.btn-icon', { 'aria-hidden': 'true' }, '▶'), 'Play');
  const note = h('span.edition-note');

  function edition() { return editions[Number(editionSelect.value) || 0]; }
  function version() { return edition().versions[Number(versionSelect.value) || 0]; }
  function fillVersions() {
    versionSelect.replaceChildren(...edition().versions.map((v, i) =>
      h('option', { value: String(i) }, versionLabel(v))));
    versionSelect.disabled = edition().versions.length < 2;
    update();
  }
  function update() {
    const files = playableFiles(version(), filesById);
    const resume = resumeOf(files);
    playButton.disabled = !files.length;
    playButton.lastChild.textContent = resume
      ? `Resume ${edition().label || ''}`.trim() : `Play ${edition().label || ''}`.trim();
    note.textContent = [edition().label || (editions.length > 1 ? DEFAULT_EDITION : ''), version().label]
      .filter(Boolean).join(' · ') + (files.length > 1 ? ` · ${files.length} parts` : '');
  }
  editionSelect.addEventListener('change', fillVersions);
  versionSelect.addEventListener('change', update);
  playButton.addEventListener('click', () => {
    const files = playableFiles(version(), filesById);
    if (!files.length) return;
    const resume = resumeOf(files);
    play(files.map((f) => ({ file: f, label: files.length > 1 ? `Part ${f.part || 1}` : note.textContent })),
      resume ? resume.index : 0, resume ? resume.file.watch.position : 0);
  });
  fillVersions();
  return h('div.edition-chooser', { role: 'group', 'aria-label': 'Choose an edition and a version' },
    editions.length > 1 ? h('label.edition-field', 'Edition ', editionSelect) : null,
    h('label.edition-field', 'Version ', versionSelect),
    playButton, note);
}
