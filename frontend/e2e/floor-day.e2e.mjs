// End to end, in headless Chromium against the real server with the demo event (see server.mjs):
// the day on the floor, for the chief expert and the experts, at the sizes where it is used.
//
// - The chief expert's progress grid fits a 10-inch tablet held upright (800 × 1280): every lock
//   button is on screen without sideways scrolling. "Lock all that can be locked" asks first, then
//   locks every ready cell and says, in words, what was locked and what was not and why.
// - The marking groups name their members; a redraw once marking has begun warns that marks exist.
// - The tablet app: an entry's card figures add up (marked + left to mark + locked unmarked =
//   total); an expert without a marking group gets one clear message; offline at 800 px the sign-out
//   stays on the header's one row, also after an offline reload.
//
// Run with `npm run e2e`. Screenshots go to e2e/artifacts/ (prefix `f`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiOk, apiSignIn, demoEvent, demoExpert, linkFromMail, shot, startWalk, stopWalk } from './server.mjs';

const PASSWORD = 'a long floor day password';
const PORTRAIT = { width: 800, height: 1280 };

let server;
let browser;
const s = {};

const ok = (method, path, options) => apiOk(server, method, path, options);

const login = (email, password) => apiSignIn(server, email, password);

async function setLocale(token, locale) {
  const me = await ok('GET', '/api/v1/me', { token });
  await ok('PATCH', '/api/v1/me', { token, body: { locale, version: me.version } });
}

/** A browser page signed in as `email`, opened at `next`. */
async function signedIn(email, password, next, { viewport = PORTRAIT, locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ locale, viewport, hasTouch: true, baseURL: server.base });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  return { context, page };
}

async function noSidewaysScroll(page, what) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${what}: no sideways scroll (${scrollWidth} > ${clientWidth})`);
}

before(async () => {
  ({ server, browser } = await startWalk());
  const { organiser, eventId, skill } = await demoEvent(server);
  Object.assign(s, { organiser, eventId, skill17: skill('17'), skill07: skill('07') });
  s.chief = await login(server.chief17, server.password);
  await setLocale(s.chief, 'zh-CN');
});

after(() => stopWalk({ server, browser }));

test('chief expert, tablet upright: every lock button on screen; lock all that can be locked, in words', async () => {
  const base = `/events/${s.eventId}/skills/${s.skill17.id}`;
  const { context, page } = await signedIn(server.chief17, server.password, `${base}/progress`, { locale: 'zh-CN' });
  await page.getByRole('heading', { name: /进度|Progress/ }).first().waitFor();
  await page.locator('table.progress-grid').waitFor();
  // Some cells are ready to lock in the demo; open one more by unlocking a locked one.
  const progress = await ok('GET', `/api/v1/skills/${s.skill17.id}/progress`, { token: s.chief });
  const row = progress.find((r) => r.sub_criteria.some((x) => x.locked));
  const sub = row.sub_criteria.find((x) => x.locked).sub_criterion;
  await ok('POST', `/api/v1/entries/${row.entry_id}/locks/${sub}/unlock`, { token: s.chief, body: { reason: '复核' } });
  await page.reload();
  const lockButtons = page.locator('table.progress-grid button').filter({ hasText: /^(锁定|解锁)$/ });
  await lockButtons.first().waitFor();
  await noSidewaysScroll(page, 'the progress grid at 800 px');
  const outside = await lockButtons.evaluateAll((buttons) =>
    buttons
      .map((b) => ({ label: b.getAttribute('aria-label'), r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.right > document.documentElement.clientWidth)
      .map(({ label, r }) => `${label} ${Math.round(r.left)}–${Math.round(r.right)}`),
  );
  assert.deepEqual(outside, [], 'every lock and unlock button lies within the viewport width');
  assert.ok((await lockButtons.count()) >= 10, 'the grid has many lock buttons');
  await shot(page, 'f01-progress-portrait');

  // Lock all: a dialog first, then one action.
  const now = await ok('GET', `/api/v1/skills/${s.skill17.id}/progress`, { token: s.chief });
  const ready = now.flatMap((r) =>
    r.sub_criteria.filter((x) => !x.locked && x.out_of_spread.length === 0 && x.aspects > 0 && x.marked === x.aspects && x.missing.length === 0),
  ).length;
  assert.ok(ready >= 1, `cells ready to lock: ${ready}`);
  const notReady = now.flatMap((r) => r.sub_criteria.filter((x) => !x.locked)).length - ready;
  await page.getByRole('button', { name: `锁定所有可锁定项（${ready}）` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/个子标准已评完且在分差之内：将被锁定/).waitFor();
  await shot(page, 'f02-lock-all-dialog');
  await dialog.getByRole('button', { name: `锁定 ${ready} 项` }).click();
  const report = page.getByTestId('lock-report');
  await report.getByText(new RegExp(`^已锁定 ${ready} 项：`)).waitFor();
  if (notReady > 0) assert.match(await report.textContent(), /未锁定，(超出分差|未评完)/, 'says what was not locked and why');
  await shot(page, 'f03-lock-all-report');
  const after = await ok('GET', `/api/v1/skills/${s.skill17.id}/progress`, { token: s.chief });
  const stillReady = after.flatMap((r) =>
    r.sub_criteria.filter((x) => !x.locked && x.out_of_spread.length === 0 && x.aspects > 0 && x.marked === x.aspects && x.missing.length === 0),
  );
  assert.equal(stillReady.length, 0, 'nothing lockable is left unlocked');
  assert.equal(after.flatMap((r) => r.sub_criteria.filter((x) => x.locked)).length, now.flatMap((r) => r.sub_criteria.filter((x) => x.locked)).length + ready);
  await page.getByRole('button', { name: '锁定所有可锁定项（0）' }).waitFor();

  // Paper fallback: a blank form of a sub-criterion, in Chinese, entries in workstation order.
  const [form] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: /的空白纸质评分表/ }).first().click()]);
  await form.waitForURL(/^blob:/);
  await form.locator('h1').getByText('评分表').waitFor();
  const stations = (await form.locator('.entry h2').allTextContents()).map((h) => Number(/(\d+)/.exec(h)?.[1] ?? NaN));
  assert.ok(stations.length >= 2, `one block per entry: ${stations}`);
  assert.deepEqual(stations, [...stations].sort((a, b) => a - b), 'entries in workstation order');
  assert.doesNotMatch(await form.locator('body').innerText(), /Marking form|Workstation|Aspect|已锁定/, 'in Chinese, with no marks or locks');
  await form.close();

  // The marking groups name their members, not ids.
  await page.goto(`${base}/groups`);
  const members = page.locator('table').first().locator('tbody tr td:nth-child(3)');
  await members.first().waitFor();
  const experts = await ok('GET', `/api/v1/events/${s.eventId}/experts`, { token: s.chief });
  const names = experts.filter((e) => e.skill_id === s.skill17.id).map((e) => e.display_name);
  const text = (await members.allTextContents()).join(' ');
  assert.doesNotMatch(text, /·[0-9a-f]{4}\b/, 'no ids for members');
  assert.ok(names.some((n) => text.includes(n)), `members named: ${text}`);
  await shot(page, 'f04-groups');

  // A redraw once marking has begun says that marks exist before it happens.
  await page.goto(`${base}/draw`);
  await page.getByRole('button', { name: '重新抽签' }).click();
  await page.getByRole('dialog').getByTestId('redraw-marked').getByText(/^评分已经开始：已有 \d+ 个评分项有评分。/).waitFor();
  await shot(page, 'f05-redraw-warning');
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await context.close();
});

test('tablet app: card figures add up; no marking group gives one message; offline sign-out stays on the row', async () => {
  // A demo expert of skill 17 with marks and locks: every card adds up.
  const email = await demoExpert(server, s.organiser, s.eventId, s.skill17, 'expert', PASSWORD);
  const { context, page } = await signedIn(email, PASSWORD, `/mark/${s.skill17.id}?day=all`);
  const tallies = page.locator('.mark-entry-tally');
  await tallies.first().waitFor();
  let sawLocked = false;
  for (const text of await tallies.allTextContents()) {
    const [, marked, total] = /^(\d+) of (\d+) marked/.exec(text) ?? [];
    assert.ok(total !== undefined, `a card states marked of total: ${text}`);
    const left = Number(/(\d+) to mark/.exec(text)?.[1] ?? 0);
    const closed = Number(/(\d+) locked without your mark/.exec(text)?.[1] ?? 0);
    assert.equal(Number(marked) + left + closed, Number(total), `the figures add up: ${text}`);
    const locked = /locked (\d+) of (\d+)/.exec(text);
    if (locked !== null) {
      sawLocked = true;
      assert.equal(locked[2], total, `locked is a share of the total: ${text}`);
    }
  }
  assert.ok(sawLocked, 'the demo has locked aspects');
  await shot(page, 'f06-cards');

  // Offline at 800 px, and after an offline reload: the header is one row, with the sign-out.
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 }).catch(async () => {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
  });
  const oneRow = async (what) => {
    const signOut = page.locator('.mark-header').getByRole('button', { name: 'Sign out' });
    await signOut.waitFor();
    // One row: every item of the header overlaps every other vertically.
    const boxes = await page.locator('.mark-header > *').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
    const lowestTop = Math.max(...boxes.map(([top]) => top));
    const highestBottom = Math.min(...boxes.map(([, bottom]) => bottom));
    assert.ok(lowestTop < highestBottom, `${what}: the header is one row (${JSON.stringify(boxes)})`);
    await noSidewaysScroll(page, what);
  };
  await context.setOffline(true);
  await page.getByTestId('network-state').getByText('Offline: marks stay on this tablet').waitFor();
  await oneRow('offline');
  await page.reload();
  await page.getByTestId('network-state').getByText('Offline: marks stay on this tablet').waitFor();
  await oneRow('offline, after a reload');
  await shot(page, 'f07-offline-header');
  await context.setOffline(false);
  await context.close();

  // An expert of skill 07 in no marking group: one clear message, no empty cards.
  const lone = 'lone.expert@e2e.skillmark.test';
  const delegations = await ok('GET', `/api/v1/events/${s.eventId}/delegations`, { token: s.organiser });
  await ok('POST', `/api/v1/events/${s.eventId}/experts`, {
    token: s.organiser,
    body: { email: lone, display_name: 'Lone Expert', skill_id: s.skill07.id, delegation_id: delegations[0].id, locale: 'en' },
  });
  const link = await linkFromMail(server.mailDir, lone, '/accept-invitation');
  const token = new URL(link, server.base).searchParams.get('token');
  const access = (await ok('POST', '/api/v1/auth/invitation/accept', { body: { token, password: PASSWORD } })).access_token;
  await setLocale(access, 'zh-CN');
  const second = await signedIn(lone, PASSWORD, `/mark/${s.skill07.id}`, { locale: 'zh-CN' });
  await second.page.getByTestId('nothing-to-mark').getByText('您尚未加入本项目的任何评分小组，因此没有需要您评分的内容。评分小组由裁判长分配。').waitFor();
  assert.equal(await second.page.locator('.mark-entry').count(), 0, 'no cards of "0 of 0 marked"');
  await shot(second.page, 'f08-no-group');
  await second.context.close();
});
