// The films grid of a library bigger than a page, as a person scrolls it:
// the next pages are asked by cursor (?after=, the last page's "next"),
// the grid holds every film once in the list's order, and the A-Z bar's
// jump still lands on its letter.
// usage: node tests/e2e/list_cursor.mjs BASE_URL SCREENSHOT_DIR
// Prints "ok - ..." or "FAIL - ..." per check.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, check, done, failOnEscape } from './browser.mjs';

const [, , BASE, SHOTS] = process.argv;
if (!BASE || !SHOTS) {
  console.error('usage: node tests/e2e/list_cursor.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });
failOnEscape('browser test of the films list');

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(20000);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const asked = [];
page.on('request', (r) => {
  const u = new URL(r.url());
  if (u.pathname === '/api/v1/films') asked.push(u.searchParams);
});

await page.goto(BASE);
await page.waitForFunction(() => document.querySelectorAll('.grid .card').length >= 60);
// Down the grid until three more pages came.
for (let i = 0; i < 40; i++) {
  const n = await page.$$eval('.grid .card', (els) => els.length);
  if (n >= 240) break;
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  // The next page, however slow the server (a sanitized build) is.
  await page.waitForFunction((before) => document.querySelectorAll('.grid .card').length > before,
    n, { timeout: 5000 }).catch(() => {});
}
const shown = await page.$$eval('.grid .card-link', (els) => els.map((e) => Number(e.dataset.filmId)));
check('scrolling loads page after page', shown.length >= 240, `${shown.length} films shown`);
const later = asked.filter((q) => q.get('limit') === '60').slice(1);
check('the next pages are asked by cursor, not by offset',
  later.length >= 3 && later.every((q) => q.get('after') && !q.get('offset')),
  later.map((q) => q.toString()).join(' ; '));
const want = await page.evaluate(async (n) => {
  const r = await fetch(`/api/v1/films?limit=${n}`);
  return (await r.json()).items.map((f) => f.id);
}, shown.length);
check('the grid holds the list in its order, each film once',
  shown.length === new Set(shown).size && shown.join() === want.join(),
  `first difference at ${shown.findIndex((id, i) => id !== want[i])}`);
await page.screenshot({ path: join(SHOTS, 'list-cursor-scrolled.png') });

// The A-Z bar: a letter far down the list.
await page.goto(BASE);
await page.waitForFunction(() => document.querySelectorAll('.grid .card').length >= 60);
const letter = await page.$$eval('.az-letter:not([disabled])', (els) => els.map((e) => e.dataset.letter)
  .filter((l) => l >= 'S').pop());
await page.click(`.az-letter[data-letter="${letter}"]`);
await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains('card-link'));
const landed = await page.evaluate(async () => {
  const id = Number(document.activeElement.dataset.filmId);
  const all = (await (await fetch('/api/v1/films?limit=500')).json()).items;
  const film = all.find((f) => f.id === id);
  return film && film.sort_key;
});
check(`the A-Z jump to ${letter} lands on a film under ${letter}`,
  typeof landed === 'string' && landed[0].toUpperCase() === letter, String(landed));
await page.screenshot({ path: join(SHOTS, 'list-cursor-az.png') });
check('no script errors', errors.length === 0, errors.join(' | '));
await browser.close();
done();
