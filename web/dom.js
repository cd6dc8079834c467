// dom: builds elements from plain values. Catalog text only ever reaches
// the page through textContent and attributes, never as HTML.

// h('a.card', {href: '/film/1'}, 'text', child, [more children]);
// h('p.note#status') also sets the id (given last).
// Attributes starting with "on" become listeners; null/false are skipped.
export function h(spec, attrs, ...children) {
  const hash = spec.indexOf('#');
  const id = hash >= 0 ? spec.slice(hash + 1) : null;
  const [tag, ...classes] = (hash >= 0 ? spec.slice(0, hash) : spec).split('.');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = [el.className, value].filter(Boolean).join(' ');
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// "113 min" -> "1 h 53 min"
export function formatRuntime(minutes) {
  if (!minutes) return '';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

// Seconds as m:ss or h:mm:ss.
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

const regionNames = safeDisplayNames('region');
const languageNames = safeDisplayNames('language');

function safeDisplayNames(type) {
  try {
    return new Intl.DisplayNames(['en'], { type });
  } catch {
    return null;
  }
}

// ISO 3166 alpha-2 -> "Spain"; anything else is shown as given.
export function countryName(code) {
  if (!code) return '';
  if (/^[A-Za-z]{2}$/.test(code) && regionNames) {
    try {
      return regionNames.of(code.toUpperCase()) || code;
    } catch {
      return code;
    }
  }
  return code;
}

// ISO 639 ("spa", "en") -> "Spanish".
const ISO639_2 = {
  eng: 'en', spa: 'es', fra: 'fr', fre: 'fr', deu: 'de', ger: 'de', ita: 'it', por: 'pt',
  jpn: 'ja', zho: 'zh', chi: 'zh', rus: 'ru', kor: 'ko', nld: 'nl', dut: 'nl', swe: 'sv',
  nor: 'no', dan: 'da', fin: 'fi', isl: 'is', ice: 'is', pol: 'pl', ces: 'cs', cze: 'cs',
  ara: 'ar', heb: 'he', hin: 'hi', tur: 'tr', ell: 'el', gre: 'el', cat: 'ca', eus: 'eu',
  baq: 'eu', glg: 'gl', gle: 'ga', hun: 'hu', ron: 'ro', rum: 'ro', ukr: 'uk',
};
export function languageName(code) {
  if (!code || code === 'und') return '';
  const short = ISO639_2[code.toLowerCase()] || code;
  if (languageNames && /^[a-z]{2,3}(-[A-Za-z]{2})?$/i.test(short)) {
    try {
      return languageNames.of(short) || code;
    } catch {
      return code;
    }
  }
  return code;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// "2019-05-17" -> "17 May 2019"; "2019-09" -> "September 2019"; "2019" stays.
export function formatDate(date) {
  if (!date) return 'Date unknown';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date);
  if (!m) return date;
  const [, y, mo, d] = m;
  if (!mo) return y;
  const month = MONTHS[Number(mo) - 1] || mo;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

// A stable hue for a placeholder, from a title.
export function hueOf(text) {
  let hash = 0;
  for (const ch of String(text || '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}
