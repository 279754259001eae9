// End to end, in headless Chromium against the real server with the demo event (see server.mjs):
// the organiser's console on the day (issue 16).
// - Tablet portrait (800x1280): the navigation folds behind a menu button; a competitor's name and
//   ID number stay on one line.
// - The people list shows names, 50 to a page, searchable; search and page survive a reload.
// - The audit log words every action and object in Chinese and English, and names the people.
// - The event overview, the skills list and the publication screen show each skill's marking and results.
// - A public release ahead of the ceremony is warned about.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiOk, demoEventOf, frontendDir, launchBrowser, startServer } from './server.mjs';

const artifacts = join(frontendDir, 'e2e', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const ORGANISER = 'organiser@demo.skillmark.org';

let server;
let browser;
let eventId;
let token;

const api = (method, path, body) => apiOk(server, method, path, { token, body });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = (await apiOk(server, 'POST', '/api/v1/auth/login', { body: { email: ORGANISER, password: server.password } })).access_token;
  const events = await api('GET', '/api/v1/events');
  eventId = demoEventOf(events).id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The organiser signed in, in `locale`, at `size`, on `path`. */
async function organiserPage(locale, size, path) {
  const context = await browser.newContext({ locale, viewport: size, baseURL: server.base });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto('/login');
  const zh = locale.startsWith('zh');
  await page.getByLabel(zh ? '电子邮箱' : 'Email address').fill(ORGANISER);
  await page.getByLabel(zh ? '密码' : 'Password').fill(server.password);
  await page.getByRole('button', { name: zh ? '登录' : 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto(path);
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

/** Whether the element's text is on one line: the text's line boxes all share one top (and its height is one line's). */
async function oneLine(locator) {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    const box = range.getBoundingClientRect();
    return tops.size === 1 && box.height < parseFloat(getComputedStyle(el).fontSize) * 2;
  });
}

const TABLET = { width: 800, height: 1280 };

test('tablet portrait: the navigation folds away, names and ID numbers keep to one line', async () => {
  const page = await organiserPage('zh-CN', TABLET, `/events/${eventId}/competitors`);
  const row = page.locator('table tbody tr').first();
  await row.waitFor();
  // The navigation is behind the menu button: the table has the width.
  assert.equal(await page.locator('#console-nav').isVisible(), false);
  const menu = page.getByRole('button', { name: '菜单' });
  await menu.click();
  await page.locator('#console-nav').getByRole('link', { name: '选手' }).waitFor();
  await menu.click();
  // Nothing is left where the navigation was: the page starts under the header.
  const top = await page.locator('main h1').evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top < 300, `the title starts under the header (at ${top} px)`);
  const name = row.locator('td').first();
  const idNumber = row.locator('td code').first();
  assert.ok(await oneLine(name), `the name ${await name.innerText()} is on one line`);
  assert.ok(await oneLine(idNumber), `the ID number ${await idNumber.innerText()} is on one line`);
  await shot(page, 'd01-competitors-800');
  // The competitors' search and order are kept in the address over a reload.
  const someone = (await name.innerText()).trim();
  await page.getByRole('searchbox', { name: '搜索' }).fill(someone);
  await page.waitForURL(/q=/);
  await page.getByRole('button', { name: '姓名' }).click();
  await page.waitForURL(/sort=name/);
  await page.reload();
  await row.waitFor();
  assert.equal(await page.getByRole('searchbox', { name: '搜索' }).inputValue(), someone);
  assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), '姓名 ▲');
  assert.match(await row.locator('td').first().innerText(), new RegExp(someone));

  // The people list: names, not account ids; one page of 50 rows of the demo's experts.
  await page.goto(`/events/${eventId}/people`);
  const people = page.locator('section[aria-labelledby="expert-list"] table tbody tr');
  await people.first().waitFor();
  assert.equal(await people.count(), 50);
  assert.doesNotMatch(await page.locator('section[aria-labelledby="expert-list"] table').innerText(), /\b[0-9a-f]{8}\b/);
  assert.ok(await oneLine(people.first().locator('td').first()));
  await page.getByRole('button', { name: '下一页' }).click();
  await page.waitForURL(/page=2/);
  await page.reload();
  await people.first().waitFor();
  assert.match(await page.locator('.pagination').innerText(), /第 2 \//);
  // Search narrows the list and is kept in the address.
  const first = (await people.first().locator('td').first().innerText()).trim();
  await page.getByRole('searchbox', { name: '搜索' }).fill(first);
  await page.waitForURL(/q=/);
  await page.reload();
  await people.first().waitFor();
  assert.ok((await people.count()) < 50);
  assert.equal(await page.getByRole('searchbox', { name: '搜索' }).inputValue(), first);
  await shot(page, 'd02-people-800');
  await page.context().close();
});

test('audit log: actions and objects in words, people by name (zh-CN and en)', async () => {
  for (const [locale, ratified] of [
    ['zh-CN', '确认成绩'],
    ['en-GB', 'Results ratified'],
  ]) {
    const page = await organiserPage(locale, TABLET, `/events/${eventId}/audit`);
    const table = page.locator('table');
    await table.locator('tbody tr').first().waitFor();
    // Filter by a worded action: the demo ratified skills 01–06.
    await page.getByRole('combobox', { name: locale === 'zh-CN' ? '操作' : 'Action' }).selectOption({ label: ratified });
    await page.getByRole('button', { name: locale === 'zh-CN' ? '筛选' : 'Apply filters' }).click();
    await table.getByText(ratified).first().waitFor();
    const text = await table.innerText();
    // No raw codes, no hex ids.
    assert.doesNotMatch(text, /results\.ratified|\bskill\b(?! )/);
    assert.doesNotMatch(text, /\b[0-9a-f]{8}\b/);
    // The object is the skill by number and name.
    assert.match(text, /\b0[1-6] \S/);
    await shot(page, `d03-audit-${locale}`);
    await page.context().close();
  }
});

test('dashboard: marking and results per skill on the overview, skills list and publication screen', async () => {
  const page = await organiserPage('zh-CN', { width: 1280, height: 800 }, `/events/${eventId}`);
  const dashboard = page.getByTestId('dashboard');
  await dashboard.locator('tbody tr').first().waitFor();
  const marking = await dashboard.locator('tr[data-skill="07"]').innerText();
  assert.match(marking, /已评 \d+%/);
  assert.match(await dashboard.locator('tr[data-skill="01"]').innerText(), /已锁定 (\d+)\/\1 个报名/);
  await shot(page, 'd04-dashboard');

  await page.goto(`/events/${eventId}/skills`);
  const skills = page.locator('table tbody');
  await skills.getByText(/已评 \d+%/).first().waitFor();

  const en = await organiserPage('en-GB', { width: 1280, height: 800 }, `/events/${eventId}/results`);
  const status = en.getByTestId('publication-status');
  await status.getByText(/\d+ % marked/).first().waitFor();
  // A public release of ratified skill 05, whose ceremony has not been held: warned.
  await status.getByRole('checkbox', { name: /05/ }).check();
  await en.getByRole('button', { name: /^Release/ }).click();
  const dialog = en.getByRole('dialog');
  await dialog.getByTestId('ceremony-warning').waitFor();
  assert.match(await dialog.getByTestId('ceremony-warning').innerText(), /05/);
  await shot(en, 'd05-release-before-ceremony');
  await en.context().close();
  await page.context().close();
});

test('entries: search and filters kept in the address; bulk withdraw reports each refusal in words, bulk confirm; released skills warn', async () => {
  const skills = await api('GET', `/api/v1/events/${eventId}/skills`);
  const delegations = await api('GET', `/api/v1/events/${eventId}/delegations`);
  const marking = skills.find((x) => x.number === '07');
  const page = await organiserPage('zh-CN', { width: 1280, height: 800 }, `/events/${eventId}/entries?skill=${marking.id}`);
  const rows = page.locator('table.entries-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await page.getByRole('combobox', { name: '项目', exact: true }).inputValue(), marking.id);
  // Two entries chosen; one of them is withdrawn meanwhile by someone else: its change is refused, in words.
  const boxes = rows.locator('input[type="checkbox"]');
  const labels = [await boxes.nth(0).getAttribute('aria-label'), await boxes.nth(1).getAttribute('aria-label')];
  const code = /^选择 07 (\S+)/.exec(labels[1])[1];
  const delegation = delegations.find((d) => d.code === code);
  const [other] = (await api('GET', `/api/v1/events/${eventId}/entries?skill_id=${marking.id}&delegation_id=${delegation.id}`)).items;
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await api('POST', `/api/v1/entries/${other.id}/status`, { status: 'withdrawn', version: other.version });
  await page.getByRole('button', { name: '退出所选 2 项' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: '退出 2 项报名？' }).waitFor();
  assert.equal(await dialog.getByTestId('released-warning').count(), 0, 'skill 07 is not released');
  await dialog.getByRole('button', { name: '退出', exact: true }).click();
  await page.getByText('已退出 1 项，1 项被拒绝。').waitFor();
  const refusal = await page.locator('.notice-error[role="alert"]').innerText();
  assert.match(refusal, new RegExp(`07 ${code}`));
  assert.match(refusal, /其他人刚刚更改了该报名/);
  assert.doesNotMatch(refusal, /version_conflict|meanwhile|[0-9a-f]{8}-/);
  await shot(page, 'd06-bulk-withdraw');

  // Both are withdrawn now: reinstated (registered again), then confirmed in one action.
  const withdrawn = (await api('GET', `/api/v1/events/${eventId}/entries?skill_id=${marking.id}&per_page=500`)).items.filter((e) => e.status === 'withdrawn');
  assert.equal(withdrawn.length, 2);
  for (const e of withdrawn) await api('POST', `/api/v1/entries/${e.id}/status`, { status: 'registered', version: e.version });
  await page.reload();
  await rows.first().waitFor();
  await page.getByRole('checkbox', { name: labels[0] }).check();
  await page.getByRole('checkbox', { name: labels[1] }).check();
  await page.getByRole('button', { name: '确认所选 2 项' }).click();
  await dialog.getByRole('heading', { name: '确认 2 项报名？' }).waitFor();
  await dialog.getByRole('button', { name: '确认', exact: true }).click();
  await page.getByText('已确认 2 项，0 项被拒绝。').waitFor();
  const confirmed = (await api('GET', `/api/v1/events/${eventId}/entries?skill_id=${marking.id}&per_page=500`)).items.filter((e) => e.status === 'confirmed');
  assert.ok(confirmed.some((e) => e.id === other.id), 'the entry withdrawn meanwhile is confirmed again');

  // Search is kept in the address over a reload.
  await page.getByRole('searchbox', { name: '搜索' }).fill(code);
  await page.waitForURL(/q=/);
  await page.reload();
  await rows.first().waitFor();
  assert.equal(await page.getByRole('searchbox', { name: '搜索' }).inputValue(), code);
  assert.match(await rows.first().innerText(), new RegExp(code));

  // Withdrawing an entry of skill 01, whose results are public, is warned about.
  const released = skills.find((x) => x.number === '01');
  await page.goto(`/events/${eventId}/entries?skill=${released.id}`);
  await rows.first().getByRole('button', { name: /^退出/ }).first().click();
  await page.getByRole('dialog').getByTestId('released-warning').waitFor();
  await shot(page, 'd07-withdraw-released');
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await page.context().close();
});
