// player-controls: the pieces of the player's own control bar, the same in
// every browser: a seek bar (a slider with chapter and part marks and a
// preview frame while the pointer is over it) and menu buttons (audio,
// subtitles, speed, quality). They know nothing of files or servers: the
// player (player.js) hands them times, marks and callbacks.
import { h, clear } from './dom.js';

// Icons drawn here (no icon font: a system without emoji fonts would show
// boxes). 24x24 boxes; fill for solid shapes, stroke for lines.
const ICONS = {
  play: [['path', { d: 'M8 5v14l11-7z' }]],
  pause: [['path', { d: 'M6 5h4v14H6zM14 5h4v14h-4z' }]],
  volume: [['path', { d: 'M4 9v6h4l5 4V5L8 9z' }], ['path', { d: 'M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }]],
  muted: [['path', { d: 'M4 9v6h4l5 4V5L8 9z' }], ['path', { d: 'M16 9l6 6M22 9l-6 6', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }]],
  pip: [['rect', { x: '3', y: '5', width: '18', height: '14', rx: '1.5', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }], ['rect', { x: '12', y: '12', width: '7', height: '5' }]],
  fullscreen: [['path', { d: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }]],
};
export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('fill', 'currentColor');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [tag, attrs] of ICONS[name] || []) {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.append(el);
  }
  return svg;
}

// 65 -> "1:05", 3725 -> "1:02:05".
export function clock(seconds) {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

// Spoken form for screen readers: "1 minute 5 seconds".
function spoken(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const parts = [];
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (hh) parts.push(`${hh} hour${hh > 1 ? 's' : ''}`);
  if (mm) parts.push(`${mm} minute${mm > 1 ? 's' : ''}`);
  if (ss || !parts.length) parts.push(`${ss} second${ss !== 1 ? 's' : ''}`);
  return parts.join(' ');
}

/*
 * seekBar({onSeek, preview}): a slider over the whole timeline.
 * onSeek(t): the viewer chose time t (seconds, on the whole timeline).
 * preview(t): {sheet, x, y, width, height, columns, rows} for the frame
 * near t, or null (no trickplay sheet yet).
 * Returns {element, update(current, total, buffered), setMarks(marks)}
 * where marks are [{at, kind: 'chapter'|'part', title}].
 */
export function seekBar({ onSeek, preview }) {
  const played = h('div.pc-seek-played');
  const buffered = h('div.pc-seek-buffered');
  const handle = h('div.pc-seek-handle');
  const marksLayer = h('div.pc-seek-marks');
  const track = h('div.pc-seek-track', buffered, played, marksLayer, handle);
  const frame = h('div.pc-preview-frame', { hidden: true });
  const previewTime = h('span.pc-preview-time');
  const previewTitle = h('span.pc-preview-title');
  const pop = h('div.pc-preview', { hidden: true, 'aria-hidden': 'true' }, frame, previewTime, previewTitle);
  const element = h('div.pc-seek', {
    role: 'slider', tabindex: '0', 'aria-label': 'Seek',
    'aria-valuemin': '0', 'aria-valuemax': '0', 'aria-valuenow': '0', 'aria-valuetext': '0 seconds',
  }, track, pop);
  let total = 0;
  let current = 0;
  let marks = [];
  let dragging = false;

  function timeAt(clientX) {
    const r = track.getBoundingClientRect();
    const f = r.width > 0 ? Math.min(1, Math.max(0, (clientX - r.left) / r.width)) : 0;
    return f * total;
  }
  function chapterAt(t) {
    let name = '';
    for (const m of marks) if (m.kind === 'chapter' && m.at <= t + 0.01) name = m.title || name;
    return name;
  }
  function showPreview(clientX) {
    if (!total) return;
    const t = timeAt(clientX);
    const r = track.getBoundingClientRect();
    const p = preview ? preview(t) : null;
    if (p) {
      frame.hidden = false;
      frame.style.width = `${p.width}px`;
      frame.style.height = `${p.height}px`;
      frame.style.backgroundImage = `url("${p.sheet}")`;
      frame.style.backgroundPosition = `-${p.x}px -${p.y}px`;
    } else {
      frame.hidden = true;
    }
    previewTime.textContent = clock(t);
    previewTitle.textContent = chapterAt(t);
    pop.hidden = false;
    const w = pop.offsetWidth || (p ? p.width : 60);
    const left = Math.min(Math.max(0, clientX - r.left - w / 2), Math.max(0, r.width - w));
    pop.style.left = `${left}px`;
  }
  element.addEventListener('pointermove', (e) => {
    showPreview(e.clientX);
    if (dragging) onSeek(timeAt(e.clientX));
  });
  element.addEventListener('pointerleave', () => { if (!dragging) pop.hidden = true; });
  element.addEventListener('pointerdown', (e) => {
    if (!total) return;
    dragging = true;
    if (element.setPointerCapture) element.setPointerCapture(e.pointerId);
    onSeek(timeAt(e.clientX));
  });
  const stop = () => { dragging = false; pop.hidden = true; };
  element.addEventListener('pointerup', stop);
  element.addEventListener('pointercancel', stop);
  element.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: -10, ArrowRight: 10, PageDown: -60, PageUp: 60 }[e.key];
    let to = null;
    if (step) to = current + step;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = Math.max(0, total - 1);
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    onSeek(Math.min(Math.max(0, to), total || to));
  });

  function paintMarks() {
    clear(marksLayer);
    if (!total) return;
    for (const m of marks) {
      if (!(m.at > 0.5 && m.at < total - 0.5)) continue;
      marksLayer.append(h(`span.pc-mark.pc-mark-${m.kind}`, {
        style: `left:${(100 * m.at / total).toFixed(3)}%`,
        title: m.title || '',
        dataset: { at: m.at.toFixed(2) },
      }));
    }
  }

  return {
    element,
    update(now, length, bufferedTo) {
      current = now;
      const changed = length !== total;
      total = length;
      const f = total > 0 ? Math.min(1, now / total) : 0;
      played.style.width = `${(100 * f).toFixed(3)}%`;
      handle.style.left = `${(100 * f).toFixed(3)}%`;
      buffered.style.width = `${(100 * (total > 0 ? Math.min(1, bufferedTo / total) : 0)).toFixed(3)}%`;
      element.setAttribute('aria-valuemax', String(Math.round(total)));
      element.setAttribute('aria-valuenow', String(Math.round(now)));
      element.setAttribute('aria-valuetext', `${spoken(now)} of ${spoken(total)}`);
      if (changed) paintMarks();
    },
    setMarks(list) {
      marks = list.slice().sort((a, b) => a.at - b.at);
      paintMarks();
    },
  };
}

/*
 * menuButton(label, name): a button that opens a menu of choices, one of
 * them checked. setItems([{label, value, checked, disabled}]), onChoose(fn).
 * Keyboard: Enter/Space/ArrowDown opens; arrows move; Escape closes and
 * returns to the button.
 */
export function menuButton(text, name) {
  const id = `pc-menu-${Math.random().toString(36).slice(2, 9)}`;
  const button = h('button.pc-button.pc-menu-button', {
    type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id,
    'aria-label': name,
  }, text);
  const menu = h('div.pc-menu', { id, role: 'menu', 'aria-label': name, hidden: true });
  const element = h('div.pc-menu-wrap', button, menu);
  let choose = () => {};

  function items() { return Array.from(menu.querySelectorAll('[role=menuitemradio]:not([aria-disabled=true])')); }
  function open() {
    document.querySelectorAll('.pc-menu:not([hidden])').forEach((m) => {
      if (m !== menu) { m.hidden = true; m.previousElementSibling.setAttribute('aria-expanded', 'false'); }
    });
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    const list = items();
    const checked = list.find((i) => i.getAttribute('aria-checked') === 'true') || list[0];
    if (checked) checked.focus();
  }
  function close(focusButton = true) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus();
  }
  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      open();
    }
  });
  menu.addEventListener('keydown', (e) => {
    const list = items();
    const i = list.indexOf(document.activeElement);
    let handled = true;
    if (e.key === 'ArrowDown') list[(i + 1) % list.length].focus();
    else if (e.key === 'ArrowUp') list[(i - 1 + list.length) % list.length].focus();
    else if (e.key === 'Home') list[0].focus();
    else if (e.key === 'End') list[list.length - 1].focus();
    else if (e.key === 'Escape' || e.key === 'Tab') close(e.key === 'Escape');
    else if (e.key === 'Enter' || e.key === ' ') document.activeElement.click();
    else handled = false;
    if (handled) {
      if (e.key !== 'Tab') e.preventDefault();
      e.stopPropagation();
    }
  });
  document.addEventListener('pointerdown', (e) => {
    if (!menu.hidden && !element.contains(e.target)) close(false);
  });

  return {
    element,
    button,
    menu,
    setItems(list) {
      clear(menu);
      if (!list.length) {
        menu.append(h('div.pc-menu-empty', { role: 'menuitemradio', 'aria-checked': 'false', 'aria-disabled': 'true', tabindex: '-1' }, 'None available'));
        return;
      }
      for (const item of list) {
        menu.append(h('div.pc-menu-item', {
          role: 'menuitemradio',
          tabindex: '-1',
          'aria-checked': item.checked ? 'true' : 'false',
          'aria-disabled': item.disabled ? 'true' : null,
          dataset: { value: String(item.value) },
          onclick: () => {
            if (item.disabled) return;
            close();
            choose(item.value);
          },
        }, item.label));
      }
    },
    onChoose(fn) { choose = fn; },
    close,
  };
}
