// The demo's selection programme as a newcomer finds it (`skillmark serve --demo`, with the
// programme), in headless Chromium (zh-CN):
//
// - The organiser's programme page shows the three stages: the national selection (stage 1), the
//   completed 十进五 stage (its squad list public, five per skill) and the 五进二 stage under way at
//   its training bases, which proposes nobody while it is still being marked.
// - A competitor who went through both completed stages has a path of three stages: advanced,
//   advanced, still running.
// - The public results index lists the programme's released squad lists; the 十进五 squad list
//   reads on a phone without sideways scrolling.
//
// Run after `npm run build`, with the server binary at SKILLMARK_BIN (or `<target>/debug/skillmark`):
//   node --test e2e/demo-programme.e2e.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiOk, apiSignIn, openPage, shot, signIn, startWalk, stopWalk } from './server.mjs';

const ORGANISER = 'organiser@demo.skillmark.org';
const TABLET = { width: 800, height: 1280 };
const PHONE = { width: 390, height: 844 };
const PROGRAMME = '第49届世界技能大赛中国集训队选拔（演示）';

let walk = {};
let programme;
let token;

before(async () => {
  walk = await startWalk({ demo: ['--demo'] });
  token = await apiSignIn(walk.server, ORGANISER, walk.server.password);
  const programmes = await apiOk(walk.server, 'GET', '/api/v1/selection/programmes', { token });
  programme = programmes.find((p) => p.name === PROGRAMME);
  assert.ok(programme, `the demo has its programme: ${programmes.map((p) => p.name)}`);
});

after(() => stopWalk(walk));

/** A zh-CN page at `path`, signed in as the organiser unless `signIn` is false. */
async function page(size, path, { signIn: organiser = true } = {}) {
  const p = await openPage(walk.browser, walk.server, { locale: 'zh-CN', viewport: size });
  if (organiser) await signIn(p, path, ORGANISER, walk.server.password);
  else await p.goto(path);
  return p;
}

const fitsWidth = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('the organiser sees the three stages: the selection, 十进五 completed, 五进二 under way', async () => {
  const p = await page(TABLET, '/selection');
  await p.getByRole('link', { name: PROGRAMME }).click();
  await p.getByRole('heading', { name: PROGRAMME }).waitFor();
  const heading = (n) => p.getByRole('heading', { name: new RegExp(`^第 ${n} 阶段`) });
  await heading(1).waitFor();
  assert.match(await heading(2).innerText(), /十进五/);
  assert.match(await heading(3).innerText(), /五进二/);
  // Stage 3 is hosted at a training base per skill and still being marked.
  const stage3 = p.locator('section, .card').filter({ has: heading(3) }).first();
  const text = await stage3.innerText();
  assert.match(text, /集训基地/, 'the training bases are named');
  assert.match(text, /评分中/, 'the stage is still being marked');
  assert.match(text, /未确认/, 'nothing is confirmed yet');
  // Stage 2's squad list is public: five per skill of the three skills.
  const stage2 = p.locator('section, .card').filter({ has: heading(2) }).first();
  assert.match(await stage2.innerText(), /所有人（公开）/);
  await shot(p, 'demo-programme-tablet');
  // No English words on the page but names and codes.
  const body = await p.locator('main').innerText();
  for (const word of ['Stage', 'Confirm', 'Proposal', 'undefined', 'null']) {
    assert.ok(!body.includes(word), `no "${word}" on the Chinese page`);
  }
});

test('a competitor of the 五进二 stage has a path of three stages', async () => {
  const full = await apiOk(walk.server, 'GET', `/api/v1/selection/programmes/${programme.id}`, { token });
  const stage3 = full.stages.find((s) => s.position === 3);
  const squad = await apiOk(walk.server, 'GET', `/api/v1/selection/stages/${full.stages[1].id}/squad`, { token });
  assert.ok(squad.lines.length >= 15, `five per skill advanced from 十进五: ${squad.lines.length}`);
  const entry = squad.lines[0].entry_id;
  const p = await page(TABLET, `/selection/entries/${entry}`);
  const rows = p.locator('tbody tr');
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3, 'three stages on the path');
  assert.match(await rows.nth(0).innerText(), /已晋级/, 'advanced from the national selection');
  assert.match(await rows.nth(1).innerText(), /已晋级/, 'advanced from 十进五');
  const last = await rows.nth(2).innerText();
  assert.ok(last.includes(stage3.event_name), `the third step is the 五进二 stage: ${last}`);
  assert.match(last, /尚未确认/, 'the 五进二 stage is not decided yet');
  await shot(p, 'demo-programme-path');
});

test('the public index lists the released squad lists; the 十进五 list reads on a phone', async () => {
  const p = await page(PHONE, '/results', { signIn: false });
  await p.getByText(PROGRAMME).waitFor();
  const link = p.getByRole('link', { name: /第 2 阶段.*集训队名单/ });
  await link.click();
  await p.waitForURL('**/results/selection/stages/**');
  await p.locator('tbody tr').first().waitFor();
  assert.ok((await p.locator('tbody tr').count()) >= 15, 'five per skill of three skills');
  assert.ok(await fitsWidth(p), 'no sideways scrolling on a phone');
  await shot(p, 'demo-programme-public-phone');
});
