// End-to-end tests of browsing a big library, in Debian's Chromium against
// a real `cinemateca serve` of the 300-film messy library that
// tests/integration/home_browser.sh makes: home rows, the A–Z bar, a
// collection page, search (full results, why a film matched, no "null"
// for empty groups), TV mode moved through with the arrow keys only, the
// filter sheet at phone width, and axe-core on every page.
// usage: node tests/e2e/home.mjs BASE_URL SCREENSHOT_DIR
// Prints "ok - ..." or "FAIL - ..." per check and saves screenshots.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { launch, ok, fail, check, done, failOnEscape } from './browser.mjs';

const [, , BASE, SHOTS] = process.argv;
if (!BASE || !SHOTS) {
  console.error('usage: node tests/e2e/home.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Generous: the sanitized binary on a shared 2-core machine loads the
// 300-film grid in chunks, and a wait is a bound, not a timing claim.
const TIMEOUT = 60000;

failOnEscape('browser tests');

const api = async (path) => (await fetch(BASE + path)).json();
const browser = await launch();
const pageErrors = [];

async function newPage(viewport = { width: 1280, height: 900 }) {
  // bypassCSP: axe-core is injected by the test, never served by the app.
  const page = await browser.newPage({ viewport, bypassCSP: true });
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
  });
  return page;
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function scenario(name, fn, viewport) {
  const page = await newPage(viewport);
  try {
    await fn(page);
  } catch (err) {
    fail(`${name}: ran to the end`, err.message);
    await shot(page, `${name}-failed`).catch(() => {});
  } finally {
    await page.close();
  }
}

// axe-core over the page as it is now: no violation of any rule it runs.
async function axe(page, what) {
  await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const summary = r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`).join('; ');
  check(`axe finds no violations on ${what}`, r.violations.length === 0, summary);
}

const titles = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent));

// IDs the scenarios open.
const pain = (await api('/api/v1/films?q=pain%20and%20glory')).items[0];
const collections = (await api('/api/v1/collections')).items;
const ghibli = collections.find((c) => c.name === 'Studio Ghibli');
const godfathers = collections.find((c) => c.name === 'The Godfather Collection');
const letters = (await api('/api/v1/films/letters')).letters;
const letterOf = (l) => letters.find((x) => x.letter === l);
const painFilm = await api(`/api/v1/films/${pain.id}`);
const almodovar = painFilm.credits.find((c) => c.job === 'director');

check('a Collections/Studio Ghibli/ folder is a collection of its 5 films', ghibli && ghibli.count === 5, JSON.stringify(collections));
check('the .nfo sets make a collection of 2', godfathers && godfathers.count === 2, JSON.stringify(collections));

await scenario('home-rows', async (page) => {
  await page.goto(BASE);
  await page.waitForSelector('#recently-added .card');
  check('home: Recently added shows 12 films', (await page.$$('#recently-added .card')).length === 12);
  check('home: a random pick', !!(await page.$('#random-pick .pick-title')));
  const fest = await titles(page, '#from-festivals .card-title');
  check('home: From the festivals has the Cannes film', fest.includes('Pain and Glory'), fest.join(', '));
  const ghibliRow = await titles(page, `#collection-row-${ghibli.id} .card-title`);
  check('home: a row for the Studio Ghibli collection, in the order they came out',
    ghibliRow.join('|') === ['My Neighbor Totoro', "Kiki's Delivery Service", 'Porco Rosso', 'Princess Mononoke', 'Spirited Away'].join('|'),
    ghibliRow.join(', '));
  check('home: a row for The Godfather Collection', (await titles(page, `#collection-row-${godfathers.id} .card-title`)).length === 2);
  check('home: the full grid is one link away', !!(await page.$('.all-films-link a[href="#all-films"]')));
  // The count is written when the grid's own query answers, which may come
  // after the rows on a loaded machine: wait for it rather than read it once.
  const counted = await page.waitForFunction(
    () => (document.querySelector('.library-count')?.textContent || '').includes('300'),
    null, { timeout: TIMEOUT }).then(() => true, () => false);
  check('home: the grid shows 300 films', counted, await page.textContent('.library-count'));
  await shot(page, 'home-rows', false);
  await page.click('.pick-again');
  await axe(page, 'the library with its rows');
});

await scenario('az-bar', async (page) => {
  await page.goto(BASE);
  await page.waitForSelector('.az .az-letter');
  const disabled = await page.$$eval('.az-letter:disabled', (b) => b.map((x) => x.dataset.letter));
  const enabled = await page.$$eval('.az-letter:not(:disabled)', (b) => b.map((x) => x.dataset.letter));
  check('A–Z: letters with films are buttons, the others are disabled',
    enabled.every((l) => l === '#' || letterOf(l)) && disabled.every((l) => l !== '#' && !letterOf(l)) && disabled.length > 0,
    `enabled ${enabled.join('')}, disabled ${disabled.join('')}`);
  // W lies far past the first page of 60: the jump loads what it needs.
  const w = letterOf('W');
  await page.click('.az-letter[data-letter="W"]');
  await page.waitForFunction(() => document.activeElement && document.activeElement.closest('.grid .card'));
  const focused = await page.evaluate(() => document.activeElement.dataset.filmId);
  const expected = (await api(`/api/v1/films?sort=title&offset=${w.offset}&limit=1`)).items[0];
  check('A–Z: W brings the first W film into view with the focus', String(expected.id) === focused
    && expected.sort_key.startsWith('w') && w.offset > 60, `${focused} vs ${expected.id} ${expected.title} at ${w.offset}`);
  await shot(page, 'az-jump-w', false);
  // The shelf's order over the whole grid.
  await page.click('.az-letter[data-letter="Z"]');
  await page.waitForFunction(() => document.querySelectorAll('.grid .card').length >= 300);
  const all = await titles(page, '.grid .card-title');
  const at = (t) => all.indexOf(t);
  check('A–Z: Amélie sits beside Amour, not after Zoo', at('Amour') - at('Amélie') === 1 && at('Zoo') > at('Amour'),
    `${at('Amélie')} ${at('Amour')} ${at('Zoo')}`);
  check('A–Z: numbers first, in natural order (2, 8½, 10, 2001)',
    at('2 Fast 2 Furious') === 0 && at('8½') === 1 && at('10 Things I Hate About You') === 2 && at('2001 A Space Odyssey') === 3,
    all.slice(0, 5).join(', '));
  const inLetter = (title, l) => {
    const e = letterOf(l);
    return e && at(title) >= e.offset && at(title) < e.offset + e.count;
  };
  check('A–Z: "The Godfather" under G, between Gattaca and Goodfellas',
    inLetter('The Godfather', 'G') && at('Gattaca') < at('The Godfather') && at('The Godfather') < at('Goodfellas'));
  check('A–Z: a French .nfo film "La Haine" under H', inLetter('La Haine', 'H'));
  check('A–Z: "Les Misérables", "Los Olvidados", "Das Boot", "Il Postino" without their articles',
    inLetter('Les Misérables', 'M') && inLetter('Los Olvidados', 'O') && inLetter('Das Boot', 'B') && inLetter('Il Postino', 'P'));
  check('A–Z: "Die Hard" and "El Dorado" keep theirs (no language known)', inLetter('Die Hard', 'D') && inLetter('El Dorado', 'E'));
  check('A–Z: accents fold ("Ça" under C, "Édith et Marcel" under E, "Öndög" under O)',
    inLetter('Ça', 'C') && inLetter('Édith et Marcel', 'E') && inLetter('Öndög', 'O'));
  check('A–Z: a film without a year ("Alien") is shelved by title', inLetter('Alien', 'A'));
  // Without a year: last both ways when sorting by year.
  const asc = (await api('/api/v1/films?sort=year&order=asc&limit=500')).items;
  const desc = (await api('/api/v1/films?sort=year&order=desc&limit=500')).items;
  const trailing = (list) => { const i = list.findIndex((f) => f.year === null); return i >= 0 && list.slice(i).every((f) => f.year === null); };
  check('films without a year come last in both directions', trailing(asc) && trailing(desc));
  // List view and poster size.
  await page.click('#view-list');
  check('list view: rows with title, year, director, runtime, resolution, watched',
    await page.$eval('.grid', (g) => g.classList.contains('as-list')) &&
    await page.isVisible('.grid .card >> nth=0 >> .card-col-resolution'));
  await page.$eval('#all-films', (e) => e.scrollIntoView());
  await shot(page, 'list-view', false);
  await axe(page, 'the list view');
  await page.click('#view-grid');
  await page.selectOption('#view-size', 'l');
  check('poster size: large posters', await page.$eval('.grid', (g) => g.dataset.size === 'l'));
  await page.selectOption('#view-size', 'm');
});

await scenario('shelf-filters', async (page) => {
  await page.goto(`${BASE}/?sort=rating`);
  await page.waitForSelector('.grid .card');
  const first = await titles(page, '.grid .card-title');
  check('sort by rating puts the rated film first', first[0] === 'Pain and Glory', first.slice(0, 3).join(', '));
  await page.selectOption('#filter-collection', String(ghibli.id));
  await page.waitForURL(/collection=/);
  await page.waitForFunction(() => document.querySelectorAll('.grid .card').length === 5);
  ok('the collection filter keeps the 5 Ghibli films');
  await page.goto(`${BASE}/?tag=semi-autobiographical`);
  await page.waitForFunction(() => document.querySelectorAll('.grid .card').length === 1);
  ok('the tag filter finds the tagged film');
  await axe(page, 'the filtered library');
});

await scenario('collection-page', async (page) => {
  await page.goto(BASE);
  await page.click(`#collection-row-${ghibli.id} .row-title a`);
  await page.waitForURL(/\/collection\/\d+$/);
  await page.waitForSelector('.collection h1');
  check('collection page: its name', (await page.textContent('.collection h1')) === 'Studio Ghibli');
  const films = await titles(page, '.collection .card-title');
  check('collection page: its 5 films', films.length === 5, films.join(', '));
  await shot(page, 'collection-page');
  await axe(page, 'a collection page');
  await page.click('.collection .card-link:has-text("Spirited Away")');
  await page.waitForSelector('.film-collection');
  check('film page: "Part of Studio Ghibli"', (await page.textContent('.film-collection')).trim() === 'Part of Studio Ghibli');
  await page.waitForSelector('.film-similar:not([hidden]) .card');
  const similar = await titles(page, '.film-similar .card-title');
  check('film page: More like this starts with the same collection',
    similar.slice(0, 4).every((t) => ['My Neighbor Totoro', "Kiki's Delivery Service", 'Porco Rosso', 'Princess Mononoke'].includes(t)),
    similar.join(', '));
  await axe(page, 'a film page');
});

await scenario('film-facts', async (page) => {
  await page.goto(`${BASE}/film/${pain.id}`);
  await page.waitForSelector('.film-ratings');
  const facts = await page.textContent('.film-facts');
  check('film page: content rating, rating and tags', facts.includes('R') && facts.includes('7.5') && facts.includes('semi-autobiographical'), facts);
  await shot(page, 'film-facts', false);
  await axe(page, 'the film page of an .nfo film');
  await page.goto(`${BASE}/person/${almodovar.person_id}`);
  await page.waitForSelector('h1');
  await axe(page, 'a person page');
});

await scenario('search', async (page) => {
  await page.goto(BASE);
  await page.waitForSelector('.grid .card');
  const box = page.locator('#search-input');
  // Films only (no person, no extra matches): the empty groups must not
  // leave "null" in the list.
  await box.click();
  await box.pressSequentially('godfather', { delay: 20 });
  await page.waitForFunction(() => {
    const l = document.getElementById('search-results');
    return !l.hidden && l.dataset.query === 'godfather' && l.querySelector('[role=option]');
  });
  const text = await page.textContent('#search-results');
  check('search: no "null" where a group is empty', !/null/.test(text), text);
  await axe(page, 'the search dropdown');
  await box.fill('');
  await box.pressSequentially('dolor', { delay: 20 });
  await page.waitForFunction(() => document.getElementById('search-results').dataset.query === 'dolor');
  const detail = await page.textContent('#search-results [data-kind=film] .search-option-detail');
  check('search: the dropdown says why a film matched', detail.includes('original title: Dolor y gloria'), detail);
  await shot(page, 'search-why', false);
  // "See all" opens the full results page.
  await page.click('#search-results [data-kind=all]');
  await page.waitForURL(/\/search\?q=dolor/);
  await page.waitForSelector('[role=tablist]');
  await shot(page, 'search-results');
  const tabs = await titles(page, '[role=tab]');
  check('results page: tabs for films, people and special features', tabs.length === 3 && /Films/.test(tabs[0]) && /People/.test(tabs[1]), tabs.join(', '));
  await page.click('#tab-people');
  check('results page: the People tab shows its panel', await page.isVisible('#panel-people') && !(await page.isVisible('#panel-films')));
  await axe(page, 'the search results page');
});

await scenario('tv-mode', async (page) => {
  await page.goto(`${BASE}/?tv=1`);
  await page.waitForSelector('.grid .card');
  check('TV: ?tv=1 shows the 10-foot layout', await page.evaluate(() => document.documentElement.classList.contains('tv')));
  // Arrow keys only from here.
  await page.keyboard.press('ArrowDown');
  let where = await page.evaluate(() => document.activeElement.closest('.card') ? document.activeElement.dataset.filmId : null);
  check('TV: the first arrow press puts the focus on a card', !!where);
  const rect = () => page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return { x: r.left, y: r.top, id: document.activeElement.dataset.filmId }; });
  const a = await rect();
  await page.keyboard.press('ArrowRight');
  const b = await rect();
  check('TV: Right moves to the next card in the row', b.id && b.id !== a.id && b.x > a.x && Math.abs(b.y - a.y) < 5, JSON.stringify([a, b]));
  await page.keyboard.press('ArrowDown');
  const c = await rect();
  check('TV: Down moves to the row below', c.y > b.y, JSON.stringify([b, c]));
  await page.waitForTimeout(300); // the lift's transition
  const lifted = await page.evaluate(() => {
    const p = document.activeElement.querySelector('.poster');
    return p ? getComputedStyle(p).transform : 'none';
  });
  check('TV: the focused card is lifted with a ring', lifted !== 'none', lifted);
  await shot(page, 'tv-mode', false);
  await axe(page, 'the TV layout');
  await page.keyboard.press('ArrowUp');
  const d = await rect();
  check('TV: Up goes back up', d.y < c.y);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/film\/\d+/);
  check('TV: Enter opens the focused film', true);
  await page.waitForSelector('h1');
  await page.keyboard.press('Escape');
  await page.waitForURL((u) => new URL(u).pathname === '/');
  check('TV: Escape (Back) returns to the library', true);
});

await scenario('phone', async (page) => {
  await page.goto(BASE);
  await page.waitForSelector('.grid .card');
  check('phone: one Filters button instead of the controls', await page.isVisible('#filter-toggle') && !(await page.isVisible('#filter-sort')));
  await page.click('#filter-toggle');
  await page.waitForSelector('#filter-sort', { state: 'visible' });
  const box = await page.$eval('.filter-sheet', (s) => { const r = s.getBoundingClientRect(); return { w: r.width, bottom: r.bottom }; });
  check('phone: the filters open as a sheet across the screen', box.w >= 370 && Math.abs(box.bottom - 800) < 2, JSON.stringify(box));
  await shot(page, 'phone-filter-sheet', false);
  await axe(page, 'the filter sheet');
  await page.click('#filter-sheet-close');
  check('phone: Done closes the sheet', !(await page.isVisible('#filter-sort')));
  await page.click('#search-input');
  const sbox = await page.$eval('form.search', (s) => { const r = s.getBoundingClientRect(); return { w: r.width, h: r.height }; });
  check('phone: search opens full screen', sbox.w >= 370 && sbox.h >= 790, JSON.stringify(sbox));
  await page.locator('#search-input').pressSequentially('spirited', { delay: 20 });
  await page.waitForFunction(() => document.getElementById('search-results').dataset.query === 'spirited');
  await shot(page, 'phone-search', false);
}, { width: 375, height: 800 });

await scenario('other-pages', async (page) => {
  for (const path of ['/account', '/admin', '/no/such/page']) {
    await page.goto(BASE + path);
    await page.waitForSelector('h1');
    await page.waitForTimeout(500);
    await axe(page, path);
  }
});

check('no script errors on any page', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '));
await browser.close();
done();
