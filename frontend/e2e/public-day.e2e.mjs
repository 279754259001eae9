// End to end, in headless Chromium against the real server with the demo event (see server.mjs):
// the public pages, the competitor's and team leader's pages on the day.
//
// - The venue board at 1920x1080: every rendered line is on the screen (a venue screen cannot scroll).
// - On a phone (390x844): the delegation table says that columns are past the right edge and shows
//   them when scrolled; the header is compact.
// - The home page leads a visitor to the public results and the live board; no server status.
// - The competitor (device in New York) sees the skill's name and modules before publication and
//   can sign out; the result mail (through a real SMTP server) links to /my-results, which shows
//   the result; the competitor and the team leader read the same notice deadline in the event's
//   zone, labelled; the team leader's experts are listed by name.
//
// Run with `npm run e2e`. Screenshots go to e2e/artifacts/ (prefix `d`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiOk, demoEvent, freePort, frontendDir, linkIn, openPage, pythonTool, shot as screenshot, startWalk, stopWalk } from './server.mjs';

const PASSWORD = 'a long competitor password';
const PHONE = { width: 390, height: 844 };

let server;
let browser;
let sink;
const s = {};

/** What a phone or the venue screen shows (the viewport, not the whole page). */
const shot = (page, name) => screenshot(page, name, { fullPage: false });

const ok = (method, path, options) => apiOk(server, method, path, options);

/** A real SMTP server (Python's aiosmtpd, e2e/smtp-sink.py) that prints every message it receives. */
async function startSmtpSink() {
  const port = await freePort();
  const child = spawn(pythonTool('python'), ['-u', join(frontendDir, 'e2e', 'smtp-sink.py'), String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the SMTP sink did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => output.split('\n===== MESSAGE ').slice(1),
    /** The link to `pathPrefix` in the newest mail to `to` the sink received. */
    async link(to, pathPrefix) {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const link = linkIn(this.messages(), to, pathPrefix);
        if (link !== null) return link;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no mail to ${to} with a ${pathPrefix} link in the SMTP sink:\n${output.slice(-3000)}`);
    },
    stop: () => child.kill('SIGTERM'),
  };
}

async function signedInPage(email, password, next, options) {
  const page = await openPage(browser, server, options, email);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`**${next}`).catch(async (e) => {
    console.error(page.url(), await page.locator('body').innerText());
    throw e;
  });
  return page;
}

/** The event's instant with its zone label, as the screens write it in Chinese. */
const EVENT_TIME = /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/;

before(async () => {
  sink = await startSmtpSink();
  ({ server, browser } = await startWalk({ env: { SMTP_URL: sink.url } }));
  const { organiser, eventId, skill } = await demoEvent(server);
  // 05 is ratified and not yet released (its SH team leader has a demo password).
  Object.assign(s, { organiser, eventId, skill: skill('05') });
});

after(async () => {
  await stopWalk({ server, browser });
  sink?.stop();
});

test('venue board at 1920x1080: every rendered line is on the screen', async () => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1920, height: 1080 }, baseURL: server.base });
  const page = await context.newPage();
  await page.goto(`/board/${s.eventId}?every=600`);
  const lines = page.locator('.board-lines li');
  await lines.first().waitFor();
  const boxes = await lines.evaluateAll((ls) => ls.map((l) => ({ bottom: l.getBoundingClientRect().bottom, clipped: l.scrollHeight - l.clientHeight })));
  assert.ok(boxes.length >= 7, `the board shows the skill's lines (${boxes.length})`);
  for (const [i, box] of boxes.entries()) {
    assert.ok(box.bottom <= 1080, `line ${i + 1} ends at ${box.bottom}px, below the 1080px screen`);
    assert.ok(box.clipped <= 2, `line ${i + 1} is cut off by ${box.clipped}px`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight), true, 'nothing to scroll');
  await shot(page, 'd01-board');
  await context.close();
});

test('phone: the delegation table says more columns are to the right and shows them; the header is compact', async () => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, baseURL: server.base });
  const page = await context.newPage();
  await page.goto(`/results/${s.eventId}/delegations`);
  const region = page.getByRole('region', { name: '代表队积分榜' });
  await region.locator('tbody tr').first().waitFor();
  const average = region.locator('th', { hasText: '平均' });
  const right = async () => (await average.boundingBox()).x + (await average.boundingBox()).width;
  if ((await right()) > PHONE.width) {
    await page.getByTestId('scroll-hint').waitFor();
    await shot(page, 'd02-delegations-phone');
    await region.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await page.getByTestId('scroll-hint').waitFor({ state: 'detached' });
    assert.ok((await right()) <= PHONE.width, 'scrolled: the average is on the screen');
    // The delegation stays in view.
    const first = await region.locator('tbody tr').first().locator('td').nth(1).boundingBox();
    assert.ok(first.x >= 0 && first.x < PHONE.width / 2, 'the delegation column stays in view');
  }
  const header = await page.locator('.page-header').boundingBox();
  assert.ok(header.y + header.height <= PHONE.height * 0.15, `the header ends at ${header.y + header.height}px`);
  await context.close();
});

test('home page: a visitor finds the public results and the live board, not the server status', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE, baseURL: server.base });
  const page = await context.newPage();
  await page.goto('/');
  const events = page.getByTestId('home-events');
  await events.getByRole('link', { name: 'Live board' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Server status' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Open the API documentation' }).count(), 0);
  const results = events.locator(`a[href="/results/${s.eventId}"]`);
  const box = await results.boundingBox();
  assert.ok(box.y + box.height <= PHONE.height, 'the results link is on the first screen');
  await shot(page, 'd03-home');
  await results.click();
  await page.locator('section.results-skill[data-skill="01"]').waitFor();
  await context.close();
});

test('competitor and team leader (device in New York): skill and modules before, the mailed link after, one event time', async () => {
  const entries = await ok('GET', `/api/v1/events/${s.eventId}/entries?skill_id=${s.skill.id}&per_page=500`, { token: s.organiser });
  const delegations = await ok('GET', `/api/v1/events/${s.eventId}/delegations`, { token: s.organiser });
  // An entry whose team leader has a demo password.
  let entry;
  let delegation;
  for (const e of entries.items.filter((x) => x.competitors.length > 0)) {
    const d = delegations.find((x) => x.id === e.delegation_id);
    const login = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `leader.${d.code.toLowerCase()}@demo.skillmark.org`, password: server.password }),
    });
    if (login.ok) {
      [entry, delegation] = [e, d];
      break;
    }
  }
  assert.ok(entry, 'a team leader of skill 05 can sign in');
  const email = 'competitor.day@e2e.skillmark.test';
  await ok('POST', `/api/v1/competitors/${entry.competitors[0].id}/account`, { token: s.organiser, body: { email, locale: 'zh-CN' } });
  const invitation = await sink.link(email, '/accept-invitation');
  const token = new URL(invitation, server.base).searchParams.get('token');
  await ok('POST', '/api/v1/auth/invitation/accept', { body: { token, password: PASSWORD } });

  const zone = { locale: 'zh-CN', timezoneId: 'America/New_York', viewport: PHONE };
  const competitor = await signedInPage(email, PASSWORD, '/my-results', zone);
  const waiting = competitor.getByTestId('not-published');
  await waiting.getByRole('heading', { name: /^05 / }).waitFor();
  await waiting.getByText('成绩尚未公布。').waitFor();
  assert.ok((await waiting.locator('.results-modules li').count()) > 0, 'the modules are listed');
  assert.match(await waiting.locator('.results-modules li').first().innerText(), /^[A-Z]{1,2} \S/);
  await competitor.getByRole('button', { name: '退出登录' }).waitFor();
  const header = await competitor.locator('.page-header').boundingBox();
  assert.ok(header.y + header.height <= PHONE.height * 0.15, `the header ends at ${header.y + header.height}px`);
  await shot(competitor, 'd04-competitor-before');

  // Released (to the public: the notice period starts): the result mail, through SMTP, links to /my-results.
  await ok('POST', `/api/v1/events/${s.eventId}/results/publish`, { token: s.organiser, body: { audience: 'public', skills: [s.skill.id] } });
  const link = await sink.link(email, '/my-results');
  await competitor.goto(link);
  const mine = competitor.getByTestId('my-result');
  await mine.waitFor();
  assert.match(await mine.locator('h2').innerText(), /^05 /);
  const firstModule = await mine.locator('table.results-breakdown tbody th').first().innerText();
  assert.match(firstModule, /^[A-Z]{1,2} \S/, 'the module letter comes with its name');
  const competitorTime = EVENT_TIME.exec(await mine.innerText())?.[0];
  assert.ok(competitorTime, 'the notice deadline is in the event zone, labelled');
  await shot(competitor, 'd05-competitor-after');

  const leaderEmail = `leader.${delegation.code.toLowerCase()}@demo.skillmark.org`;
  const leaderLink = await sink.link(leaderEmail, '/results');
  const leader = await signedInPage(leaderEmail, server.password, leaderLink.split('?')[0], zone);
  const card = leader.locator('[data-testid="team-result"][data-skill="05"]');
  await card.getByTestId('team-result-score').waitFor();
  const leaderTime = EVENT_TIME.exec(await card.innerText())?.[0];
  assert.equal(leaderTime, competitorTime, 'the competitor and the team leader read the same time');
  await shot(leader, 'd06-leader-results');

  // The team leader's experts, by name.
  const experts = await ok('GET', `/api/v1/events/${s.eventId}/experts`, { token: s.organiser });
  const ours = experts.find((x) => x.delegation_id === delegation.id);
  await leader.goto(`/events/${s.eventId}/team/${delegation.id}/experts`);
  await leader.getByRole('cell', { name: ours.display_name, exact: true }).first().waitFor();
  await shot(leader, 'd07-leader-experts');

  // The competitor signs out.
  await competitor.getByRole('button', { name: '退出登录' }).click();
  await competitor.waitForURL((url) => url.pathname !== '/my-results');
  await competitor.locator('.page-header a[href="/login"]').waitFor();
  await competitor.context().close();
  await leader.context().close();
});
