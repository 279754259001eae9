// End to end, in headless Chromium against the real server with the demo event (see server.mjs):
// no English is left in the Chinese interface.
//
// Each role signs in with a zh-CN browser (the demo's accounts keep the browser's language) and
// walks its main screens: the organiser's console (every event page, a ratified skill's results,
// a skill being marked), the team leader's delegation, experts and results, the chief expert's
// and an expert's marking app, the competitor's own results, the public results, the live board
// and the home page. On every screen the visible text, and the placeholders, titles and labels
// a user reads, must hold no English word outside data (emails, addresses, time zone names, the
// product's name, codes such as "A1" or "SH", and what the page marks as another language with
// `lang`, such as a delegation's English name or the switch to English). A screen that shows one fails with the screen, the words
// and where they stood.
//
// Run with `npm run e2e`. Screenshots of failing screens go to e2e/artifacts/ (prefix `l`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiOk, artifacts, demoEvent, demoExpert, linkFromMail, startWalk, stopWalk } from './server.mjs';

const PASSWORD = 'a long language walk password';

let server;
let browser;
const s = {};

const api = (method, path, options) => apiOk(server, method, path, options);

/**
 * English words a Chinese screen may show: the product and the competition's own names, file
 * formats and the language switch's own name for English. Anything else in Latin letters must be
 * data (see `englishWords`).
 */
const ALLOWED = new Set(['skillmark', 'worldskills', 'english', 'pdf', 'csv', 'xlsx', 'excel', 'api', 'openapi', 'cis', 'id', 'url', 'iana']);

/**
 * The English words of a screen: every word of two or more Latin letters with a lower-case letter
 * in it (codes such as "SH", "A1" or "WSC" are data), outside emails, web addresses and words
 * that are allowed.
 */
function englishWords(text) {
  const stripped = text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ')
    .replace(/(?:^|\s)\/[\w/.?=&{}-]+/g, ' ')
    // Time zone names (Asia/Shanghai) are data.
    .replace(/\b[A-Z][A-Za-z_]+\/[A-Z][A-Za-z_/+-]+/g, ' ');
  return (stripped.match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g) ?? []).filter(
    (word) => /[a-z]/.test(word) && !ALLOWED.has(word.toLowerCase()),
  );
}

/** What a user reads on the page: visible text and the attributes that speak. */
async function readableTexts(page) {
  return page.evaluate(() => {
    const found = [];
    const visible = (element) => {
      // Marked as another language (the switch to English says so in English) or as data.
      if (element.closest('[lang]:not([lang^="zh"]), [translate="no"], code, pre, kbd, samp')) return false;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const parent = node.parentElement;
      if (text === '' || parent === null || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
      if (!visible(parent)) continue;
      found.push({ text, where: `${parent.tagName.toLowerCase()}${parent.className ? `.${String(parent.className).split(' ')[0]}` : ''}` });
    }
    for (const element of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
      if (!visible(element)) continue;
      for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
        const value = element.getAttribute(name);
        if (value) found.push({ text: value, where: `${element.tagName.toLowerCase()}[${name}]` });
      }
    }
    found.push({ text: document.title, where: 'title' });
    return found;
  });
}

/** Opens `path`, waits for `ready` (a locator on the page) and fails on any English word read. */
async function noEnglish(page, path, ready, screen) {
  await page.goto(path);
  await ready(page).first().waitFor();
  // Let what is still loading arrive (lists, counts) before reading.
  await page.waitForLoadState('networkidle').catch(() => {});
  const texts = await readableTexts(page);
  const english = texts.flatMap(({ text, where }) => englishWords(text).map((word) => `${word} (in ${where}: "${text.slice(0, 80)}")`));
  if (english.length > 0) {
    await page.screenshot({ path: join(artifacts, `l-${screen.replace(/\W+/g, '-')}.png`), fullPage: true });
  }
  return english.length === 0 ? [] : [`${screen} ${path}:\n    ${[...new Set(english)].join('\n    ')}`];
}

async function personPage(email, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, baseURL: server.base });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => console.error(`page error (${email}):`, error));
  await page.goto('/login?next=/console');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(email === s.expertEmail || email === s.chiefEmail || email === s.competitorEmail ? PASSWORD : server.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

/** Every screen's failures, reported together at the end of each role's walk. */
function report(failures) {
  assert.deepEqual(failures, [], `English words in the Chinese interface:\n${failures.join('\n')}`);
}

before(async () => {
  ({ server, browser } = await startWalk());
  const { organiser, eventId, skill } = await demoEvent(server);
  // 01–03 are public, 04–06 ratified and not released, the rest still being marked.
  Object.assign(s, { organiser, eventId, public: skill('01'), ratified: skill('05'), marking: skill('17') });
  const delegations = await api('GET', `/api/v1/events/${s.eventId}/delegations`, { token: s.organiser });
  s.sh = delegations.find((d) => d.code === 'SH');

  // Skill 17's chief expert and an expert: the demo gives them passwords only through a reset.
  s.chiefEmail = await demoExpert(server, s.organiser, s.eventId, s.marking, 'chief_expert', PASSWORD);
  s.expertEmail = await demoExpert(server, s.organiser, s.eventId, s.marking, 'expert', PASSWORD);
  // demoExpert switches them to English for the other tests; back to Chinese here.
  for (const email of [s.chiefEmail, s.expertEmail]) {
    const token = (await api('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).access_token;
    const me = await api('GET', '/api/v1/me', { token });
    await api('PATCH', '/api/v1/me', { token, body: { locale: 'zh-CN', version: me.version } });
  }

  // A competitor of a public skill with an account.
  const entries = await api('GET', `/api/v1/events/${s.eventId}/entries?skill_id=${s.public.id}&per_page=500`, { token: s.organiser });
  const entry = entries.items.find((e) => e.competitors.length > 0);
  s.competitorEmail = 'competitor@language.skillmark.test';
  await api('POST', `/api/v1/competitors/${entry.competitors[0].id}/account`, {
    token: s.organiser,
    body: { email: s.competitorEmail, locale: 'en' },
  });
  const link = await linkFromMail(server.mailDir, s.competitorEmail, '/accept-invitation');
  const token = new URL(link, server.base).searchParams.get('token');
  const access = (await api('POST', '/api/v1/auth/invitation/accept', { body: { token, password: PASSWORD } })).access_token;
  const me = await api('GET', '/api/v1/me', { token: access });
  await api('PATCH', '/api/v1/me', { token: access, body: { locale: 'zh-CN', version: me.version } });
});

after(() => stopWalk({ server, browser }));

const heading = (page) => page.locator('main h1, h1');

test('organiser: every console screen of the event is in Chinese', async () => {
  const page = await personPage('organiser@demo.skillmark.org');
  const e = `/events/${s.eventId}`;
  const failures = [];
  const rows = (p) => p.locator('main table tbody tr, main li, main .empty, main [role="status"]');
  for (const [path, screen, ready] of [
    ['/console', 'console home', heading],
    ['/events', 'events', rows],
    [e, 'event overview', heading],
    [`${e}/skills`, 'skills', rows],
    [`${e}/delegations`, 'delegations', rows],
    [`${e}/people`, 'people', rows],
    [`${e}/imports`, 'imports', heading],
    [`${e}/competitors`, 'competitors', rows],
    [`${e}/entries`, 'entries', rows],
    [`${e}/audit`, 'audit log', rows],
    [`${e}/results`, 'publication', rows],
    [`${e}/disputes`, 'disputes', heading],
    [`${e}/skills/${s.ratified.id}/results`, 'ratified skill results', rows],
    [`${e}/skills/${s.marking.id}/results`, 'results of a skill being marked', heading],
    [`${e}/skills/${s.marking.id}`, 'skill being marked', heading],
    ['/account', 'account', heading],
  ]) {
    failures.push(...(await noEnglish(page, path, ready, screen)));
  }
  report(failures);
});

test('team leader: delegation, experts and results are in Chinese, on a tablet', async () => {
  const page = await personPage('leader.sh@demo.skillmark.org', { width: 800, height: 1280 });
  const e = `/events/${s.eventId}/team/${s.sh.id}`;
  const failures = [];
  for (const [path, screen] of [
    [e, 'delegation'],
    [`${e}/experts`, 'delegation experts'],
    [`${e}/results`, 'delegation results'],
  ]) {
    failures.push(...(await noEnglish(page, path, heading, screen)));
  }
  report(failures);
});

test('chief expert and expert: the marking app and the chief pages are in Chinese, on a tablet', async () => {
  const failures = [];
  const chief = await personPage(s.chiefEmail, { width: 1280, height: 800 });
  const skill = `/events/${s.eventId}/skills/${s.marking.id}`;
  for (const [path, screen, ready] of [
    ['/mark', 'chief expert marking app', (p) => p.locator('main')],
    [skill, 'chief expert skill', heading],
  ]) {
    failures.push(...(await noEnglish(chief, path, ready, screen)));
  }
  const expert = await personPage(s.expertEmail, { width: 800, height: 1280 });
  failures.push(...(await noEnglish(expert, '/mark', (p) => p.locator('main'), 'expert marking app')));
  report(failures);
});

test('competitor, visitor and venue screen: results pages are in Chinese, on a phone and a venue screen', async () => {
  const failures = [];
  const competitor = await personPage(s.competitorEmail, { width: 390, height: 844 });
  failures.push(...(await noEnglish(competitor, '/my-results', heading, 'competitor results')));

  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, baseURL: server.base });
  const visitor = await context.newPage();
  visitor.setDefaultTimeout(30_000);
  for (const [path, screen, ready] of [
    ['/', 'home page', heading],
    [`/results/${s.eventId}`, 'public results', (p) => p.locator('section.results-skill')],
    [`/results/${s.eventId}/skills/${s.public.number}`, 'public skill results', (p) => p.locator('table tbody tr')],
  ]) {
    failures.push(...(await noEnglish(visitor, path, ready, screen)));
  }
  await visitor.setViewportSize({ width: 1920, height: 1080 });
  failures.push(...(await noEnglish(visitor, `/board/${s.eventId}`, (p) => p.locator('body *'), 'live board')));
  report(failures);
});
