// The selection programme (选拔 → 集训 → 国家队) end to end, in headless Chromium (zh-CN) against
// the real server with the demo event (see server.mjs):
//
// - The organiser finds the programme (set up through the API with the demo event as stage 1),
//   sees that a skill still being marked proposes nobody (not ratified), opens a ratified skill's
//   proposal (the cut line, the breakdown), confirms it behind the dialog and releases the squad
//   list to the public; the public squad page shows it on a phone.
// - A final stage (its results ratified in the database: marking a whole stage through the API is
//   results.rs's business) is confirmed; the national team is not public until the organiser
//   releases it, then the public team page shows member and alternate.
// - The competitor's path shows both stages, the cut and that they advanced.
// - The public results index links to the released squad and team lists; the SH team leader's
//   selection screen (tablet) shows the lists released to the delegations with SH's competitors,
//   each linking to their path.
//
// Run after `npm run build`, with the server binary at SKILLMARK_BIN (or `<target>/debug/skillmark`):
//   node --test e2e/selection.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiCall, apiOk, artifacts, demoEvent, openPage, shot, signIn, startWalk, stopWalk } from './server.mjs';

const ORGANISER = 'organiser@demo.skillmark.org';
const DESKTOP = { width: 1280, height: 900 };
const TABLET = { width: 800, height: 1280 };
const PHONE = { width: 390, height: 844 };

let server;
let browser;
const s = {};

/** A signed-in page in zh-CN of its own (cookies and session). */
async function organiserPage(size, path, email = ORGANISER) {
  const page = await openPage(browser, server, { locale: 'zh-CN', viewport: size, acceptDownloads: true });
  await signIn(page, path, email, server.password);
  return page;
}

async function publicPage(size, path) {
  const page = await openPage(browser, server, { locale: 'zh-CN', viewport: size });
  await page.goto(path);
  return page;
}

/** No horizontal scrolling of the page itself (wide tables scroll inside their wrapper). */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/**
 * Writes a ratified result of `skillId` in the SQLite database of the server (the Rust tests do
 * the same in tests/api/selection.rs): each entry's scale score and criterion A mark.
 */
function ratifyInDatabase(eventId, skillId, scores) {
  const db = join(dirname(server.mailDir), 'data', 'skillmark.db');
  const entries = scores.map(([entry, score], i) => ({
    entry_id: entry,
    code: null,
    delegation_id: '',
    delegation_code: `D${i}`,
    delegation_name_zh: '',
    delegation_name_en: '',
    competitors: ['选手'],
    workstation: null,
    raw: '70.00',
    score,
    rank: i + 1,
    award: null,
    squad: false,
    criteria: [{ id: 'A', mark: '30.00' }],
    sub_criteria: [],
    complete: true,
  }));
  const snapshot = JSON.stringify({
    skill_id: skillId,
    event_id: eventId,
    skill_number: '01',
    skill_name_zh: '技能',
    skill_name_en: 'Skill',
    team: false,
    entries,
  });
  const script = `
import sqlite3, sys
db, skill, event, snapshot = sys.argv[1:5]
c = sqlite3.connect(db, timeout=30)
at = c.execute("SELECT ratified_at FROM skill_results WHERE ratified_at IS NOT NULL LIMIT 1").fetchone()[0]
c.execute("DELETE FROM skill_results WHERE skill_id = ?", (skill,))
c.execute("INSERT INTO skill_results (skill_id, event_id, state, ratified_snapshot, ratified_at, audience, ceremony_step, version, updated_at) VALUES (?, ?, 'ratified', ?, ?, 'none', 0, 1, ?)", (skill, event, snapshot, at, at))
c.commit()
`;
  execFileSync('python3', ['-c', script, db, skillId, eventId, snapshot], { stdio: 'inherit' });
}

before(async () => {
  // The demo without its own programme (startServer's default): this walk sets one up over the
  // national selection.
  ({ server, browser } = await startWalk());
  const { organiser, event, skills, skill } = await demoEvent(server);
  Object.assign(s, { token: organiser, event, skills, skill: skill('01'), marking: skill('07') });
  const programme = await apiOk(server, 'POST', '/api/v1/selection/programmes', {
    token: s.token,
    body: {
      name: '第46届世界技能大赛中国集训队选拔',
      target_competition: '第48届世界技能大赛',
      target_year: Number(event.c1_date.slice(0, 4)),
      event_id: event.id,
    },
  });
  s.programme = programme.id;
  s.stage1 = programme.stages[0].id;
  const rules = programme.stages[0].skills.find((x) => x.skill_id === s.skill.id);
  await apiOk(server, 'PUT', `/api/v1/selection/stages/${s.stage1}/skills/${s.skill.id}`, {
    token: s.token,
    body: { cut: 3, tie_rule: { rule: 'all_tied_advance' }, version: rules.version },
  });
});

after(() => stopWalk({ server, browser }));

test('organiser: the proposal waits for ratification; a ratified skill is confirmed behind the dialog and its squad released', async () => {
  const page = await organiserPage(DESKTOP, '/selection');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '选拔计划' }).waitFor();
  await page.getByRole('link', { name: '第46届世界技能大赛中国集训队选拔' }).click();
  await page.waitForURL(`**/selection/${s.programme}`);
  const stage = page.getByTestId('stage-1');
  await stage.getByRole('heading', { name: /^第 1 阶段/ }).waitFor();

  // A skill still being marked: nothing advances before ratification, and the screen says why.
  const markingRow = stage.locator('tbody tr', { hasText: s.marking.name_zh });
  await markingRow.getByRole('button', { name: '查看晋级' }).click();
  await stage.getByTestId('not-ratified').getByText(/裁判长确认该项目成绩/).waitFor();
  await markingRow.getByRole('button', { name: '收起' }).click();

  // The ratified skill: the combined standing, the cut line, who advances.
  const row = stage.locator('tbody tr', { hasText: s.skill.name_zh }).first();
  await row.getByRole('button', { name: '查看晋级' }).click();
  const standing = stage.getByTestId('standing');
  await standing.waitFor();
  await standing.locator('.selection-cut-line').getByText('名额线：以上 3 人晋级').waitFor();
  const advancing = await standing.locator('tr.selection-advances').count();
  assert.ok(advancing >= 3, `at least the cut advances (all tied at the cut do): ${advancing}`);
  assert.equal(await standing.locator('tr.selection-tied').count() > 0, advancing > 3, 'a tie at the cut is marked');
  assert.match(await standing.locator('tbody tr').first().innerText(), /第 1 阶段\s+\d+\.\d\d × 100%/);
  assert.ok(await fitsWidth(page));
  await shot(page, 's01-proposal');
  await stage.getByTestId('proposal').screenshot({ path: join(artifacts, 's01b-proposal-table.png') });

  // Confirm, behind the dialog.
  await stage.getByRole('button', { name: '确认晋级名单' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/记入审计日志且不可撤销/).waitFor();
  await dialog.getByRole('button', { name: '确认晋级名单' }).click();
  await stage.getByText('晋级名单已确认。').waitFor();
  await stage.getByRole('heading', { name: '已确认的晋级名单' }).waitFor();
  s.advancing = advancing;

  // The squad list, released to the public through the dialog.
  const squad = stage.locator('.selection-list');
  await squad.locator('tbody tr').nth(advancing - 1).waitFor();
  await squad.getByRole('button', { name: '向公众发布' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '向公众发布' }).click();
  await squad.getByText('已发布。').waitFor();
  await squad.getByRole('link', { name: '公开页面' }).waitFor();
  await shot(page, 's02-confirmed-released');

  // The tablet width: the navigation folds away, the page does not scroll sideways.
  await page.setViewportSize(TABLET);
  assert.ok(await fitsWidth(page));
  await shot(page, 's03-tablet');
  await page.context().close();
});

test('organiser: a withdrawal with its reason moves the next-ranked up (递补)', async () => {
  // Skill 02 (ratified), cut 2, confirmed through the API.
  const skill = s.skills.find((x) => x.number === '02');
  const base = `/api/v1/selection/stages/${s.stage1}/skills/${skill.id}`;
  const programme = await apiOk(server, 'GET', `/api/v1/selection/programmes/${s.programme}`, { token: s.token });
  const rules = programme.stages[0].skills.find((x) => x.skill_id === skill.id);
  await apiOk(server, 'PUT', base, { token: s.token, body: { cut: 2, version: rules.version } });
  const proposal = await apiOk(server, 'GET', `${base}/proposal`, { token: s.token });
  await apiOk(server, 'POST', `${base}/confirm`, { token: s.token, body: { version: proposal.version } });

  const page = await organiserPage(TABLET, `/selection/${s.programme}`);
  const stage = page.getByTestId('stage-1');
  await stage.locator('tbody tr', { hasText: skill.name_zh }).first().getByRole('button', { name: '查看晋级' }).click();
  const standing = stage.getByTestId('standing');
  await standing.waitFor();
  const first = standing.locator('tbody tr.selection-advances').first();
  const name = (await first.locator('th').innerText()).trim();
  await first.getByRole('button', { name: '退出…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('由下一名次选手递补。', { exact: false }).waitFor();
  await dialog.getByLabel('原因').fill('伤病');
  await dialog.getByRole('button', { name: '确认退出' }).click();
  const outcome = stage.getByTestId('selection-outcome');
  await outcome.getByText(`${name} 已退出。`, { exact: false }).waitFor();
  assert.match(await outcome.innerText(), /递补：.+。/);
  await standing.locator('tr.selection-withdrawn').getByText('已退出：伤病').waitFor();
  await standing.locator('tr.selection-advances').getByText('递补').waitFor();
  assert.equal(await standing.locator('tr.selection-advances').count(), 2, 'still two go on');
  assert.ok(await fitsWidth(page));
  await shot(page, 's03b-withdrawal-tablet');
  await stage.locator('[data-testid="proposal"]').screenshot({ path: join(artifacts, 's03c-withdrawal-proposal.png') });
  await page.context().close();
});

test('public: the squad list of the stage on a phone', async () => {
  const page = await publicPage(PHONE, `/results/selection/stages/${s.stage1}`);
  const table = page.getByTestId('public-squad');
  await table.waitFor();
  // Skill 01's squad (skill 02's was confirmed since, in the same stage).
  assert.equal(await table.locator('tbody tr', { hasText: `01 ${s.skill.name_zh}` }).count(), s.advancing);
  await page.getByRole('heading', { name: /^集训队名单 · 第46届/ }).waitFor();
  assert.ok(await fitsWidth(page));
  await shot(page, 's04-public-squad-phone');
  await page.context().close();
});

test('organiser: the final stage makes the national team; the public sees it once released', async () => {
  // The final stage (skill 01 only), whose results are ratified and confirmed.
  const programme = await apiOk(server, 'POST', `/api/v1/selection/programmes/${s.programme}/stages`, {
    token: s.token,
    body: {
      event: { name: '二进一考核', c1_date: '2027-08-01', registration_deadline: '2027-07-01T00:00:00Z' },
      skill_numbers: ['01'],
      training_bases: { '01': '上海集训基地' },
      is_final: true,
    },
  });
  const stage2 = programme.stages[1];
  const skill2 = stage2.skills[0].skill_id;
  const entries = await apiOk(server, 'GET', `/api/v1/events/${stage2.event_id}/entries?per_page=500`, { token: s.token });
  assert.equal(entries.items.length, s.advancing, 'the advancing were carried into the final stage');
  ratifyInDatabase(
    stage2.event_id,
    skill2,
    entries.items.map((e, i) => [e.id, 720 - i]),
  );
  s.member = entries.items[0].id;

  const before = await publicPage(PHONE, `/results/selection/programmes/${s.programme}/team`);
  await before.getByTestId('not-public').getByText('该名单尚未公开。').waitFor();
  await before.context().close();

  const page = await organiserPage(DESKTOP, `/selection/${s.programme}`);
  const stage = page.getByTestId('stage-2');
  await stage.getByText('最终阶段').waitFor();
  const row = stage.locator('tbody tr').first();
  await row.getByText('上海集训基地').waitFor();
  await row.getByRole('button', { name: '查看晋级' }).click();
  await stage.getByTestId('standing').waitFor();
  // Weights must be one whole percentage per stage, summing to 100: said next to the field.
  await stage.getByLabel(/各阶段权重/).fill('30, 60');
  await stage.getByRole('button', { name: '保存规则' }).click();
  await stage.getByText('请为截至本阶段的每个阶段（共 2 个）填写整数百分比，合计 100。').waitFor();
  await stage.getByLabel(/各阶段权重/).fill('30, 70');
  // One goes to the competition (the next-ranked is the alternate): the cut set in the rules form.
  await stage.getByLabel('晋级名额').fill('1');
  await stage.getByRole('button', { name: '保存规则' }).click();
  await stage.getByText('规则已保存。').waitFor();
  await stage.locator('.selection-cut-line').getByText('名额线：以上 1 人晋级').waitFor();
  // The combined standing, stage by stage.
  const first = stage.getByTestId('standing').locator('tbody tr').first();
  await first.getByText('× 70%').waitFor();
  assert.match(await first.innerText(), /第 1 阶段\s+\d+\.\d\d × 30%/);
  await stage.getByRole('button', { name: '确认晋级名单' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/产生该项目的国家队/).waitFor();
  await dialog.getByRole('button', { name: '确认晋级名单' }).click();
  await stage.getByText('晋级名单已确认。').waitFor();

  const team = page.getByTestId('national-team');
  await team.getByText('正式队员').waitFor();
  await team.getByText('替补').waitFor();
  await team.getByRole('button', { name: '导出 CSV' }).waitFor();
  await team.getByRole('button', { name: '向公众发布' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '向公众发布' }).click();
  await team.getByText('已发布。').waitFor();
  await shot(page, 's05-team-released');
  await page.context().close();

  const pub = await publicPage(PHONE, `/results/selection/programmes/${s.programme}/team`);
  const table = pub.getByTestId('public-team');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 2);
  await table.getByText('正式队员').waitFor();
  await table.getByText('替补').waitFor();
  assert.ok(await fitsWidth(pub));
  await shot(pub, 's06-public-team-phone');
  await pub.context().close();
});

test('the competitor’s path: both stages, the cut, advanced', async () => {
  // The member's entry of stage 1 (the national selection): the one carried into the final stage.
  const stage1 = await apiOk(server, 'GET', `/api/v1/selection/stages/${s.stage1}/skills/${s.skill.id}/proposal`, { token: s.token });
  const line = stage1.lines.find((l) => l.next_entry_id === s.member);
  assert.ok(line !== undefined, 'the member came from stage 1');
  const page = await organiserPage(DESKTOP, `/selection/entries/${line.entry_id}`);
  const path = page.getByTestId('selection-path');
  await path.waitFor();
  assert.equal(await path.locator('tbody tr').count(), 2);
  await path.locator('tbody tr').first().getByText('已晋级').waitFor();
  assert.match(await path.locator('tbody tr').first().innerText(), /\b3\b/, 'the cut of stage 1');
  await page.getByTestId('path-team').getByText('国家队：正式队员。').waitFor();
  await shot(page, 's07-path');
  await page.context().close();

  // A team leader reaches their competitor's path from the delegation's entries (the demo's SH
  // leader has the password; SH's competitor in skill 02 did not advance from stage 1).
  const skill02 = s.skills.find((x) => x.number === '02');
  const delegations = await apiOk(server, 'GET', `/api/v1/events/${s.event.id}/delegations`, { token: s.token });
  const sh = delegations.find((d) => d.code === 'SH');
  const leader = await organiserPage(PHONE, `/events/${s.event.id}/team/${sh.id}`, 'leader.sh@demo.skillmark.org');
  const card = leader.locator('section.entry-card', { hasText: skill02.name_zh });
  await card.getByRole('link', { name: '选拔历程' }).click();
  await leader.waitForURL('**/selection/entries/*');
  const steps = leader.getByTestId('selection-path');
  await steps.locator('tbody tr').first().getByText('未晋级').waitFor();
  assert.equal(await leader.getByTestId('path-team').count(), 0);
  assert.ok(await fitsWidth(leader));
  await shot(leader, 's08-path-leader-phone');
  await leader.context().close();
});

test('public: the results index links to the released squad and team lists', async () => {
  const page = await publicPage(PHONE, '/results');
  const lists = page.getByTestId('public-selection');
  await lists.getByRole('heading', { name: '选拔计划：集训队与国家队名单公示' }).waitFor();
  const programme = lists.locator('li', { hasText: '第46届世界技能大赛中国集训队选拔' }).first();
  await programme.getByRole('link', { name: /^第 1 阶段 · .+ 集训队名单$/ }).waitFor();
  await programme.getByRole('link', { name: '国家队名单' }).click();
  await page.waitForURL(`**/results/selection/programmes/${s.programme}/team`);
  await page.getByTestId('public-team').locator('tbody tr').nth(1).waitFor();
  assert.equal(await page.getByTestId('public-team').locator('tbody tr').count(), 2);
  await shot(page, 's09-public-index-team-phone');
  await page.context().close();
});

test('team leader: the released lists with the delegation’s competitors, each linking to their path (tablet)', async () => {
  const delegations = await apiOk(server, 'GET', `/api/v1/events/${s.event.id}/delegations`, { token: s.token });
  const sh = delegations.find((d) => d.code === 'SH');
  // SH onto the (public) stage-1 squad list: another ratified skill, its cut at SH's rank, confirmed.
  const programme = await apiOk(server, 'GET', `/api/v1/selection/programmes/${s.programme}`, { token: s.token });
  let placed = false;
  for (const rules of programme.stages[0].skills.filter((x) => !['01', '02', '07'].includes(x.skill_number))) {
    const base = `/api/v1/selection/stages/${s.stage1}/skills/${rules.skill_id}`;
    const proposal = await apiCall(server, 'GET', `${base}/proposal`, { token: s.token });
    const line = proposal.status === 200 ? proposal.data.lines.find((l) => l.delegation_code === 'SH' && l.ineligible == null) : undefined;
    if (line === undefined) continue;
    const set = await apiOk(server, 'PUT', base, { token: s.token, body: { cut: line.rank, version: rules.version } });
    await apiOk(server, 'POST', `${base}/confirm`, { token: s.token, body: { version: set.version } });
    placed = true;
    break;
  }
  assert.ok(placed, 'a ratified skill of the demo ranks SH');
  // What the screen must show: SH's lines of the stage-1 squad list and of the team list.
  const squad = await apiOk(server, 'GET', `/api/v1/selection/stages/${s.stage1}/squad`, { token: s.token });
  const team = await apiOk(server, 'GET', `/api/v1/selection/programmes/${s.programme}/team`, { token: s.token });
  const own = (list) => list.lines.filter((l) => l.delegation_code === 'SH');

  const page = await organiserPage(TABLET, `/events/${s.event.id}/team/${sh.id}`, 'leader.sh@demo.skillmark.org');
  // At the tablet's width the navigation folds behind the menu button.
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '选拔与集训' }).click();
  await page.waitForURL(`**/events/${s.event.id}/team/${sh.id}/selection`);
  await page.getByRole('heading', { name: /^选拔 · SH/ }).waitFor();
  const card = page.getByTestId('selection-programme');
  await card.getByRole('heading', { name: '第46届世界技能大赛中国集训队选拔' }).waitFor();
  const lists = card.getByTestId('released-list');
  const squadList = lists.filter({ has: page.getByRole('heading', { name: /^第 1 阶段 · .+ 集训队名单$/ }) });
  const teamList = lists.filter({ has: page.getByRole('heading', { name: '国家队名单' }) });
  await squadList.getByText('已公开').waitFor();
  for (const [section, lines] of [
    [squadList, own(squad)],
    [teamList, own(team)],
  ]) {
    if (lines.length === 0) {
      await section.getByText('本名单中没有本代表队的选手。').waitFor();
      continue;
    }
    await section.getByText(`名单共 ${(section === teamList ? team : squad).lines.length} 人，其中本代表队 ${lines.length} 人。`).waitFor();
    assert.equal(await section.getByTestId('path-link').count(), lines.length, 'every SH competitor links to their path');
  }
  assert.ok(own(squad).length > 0, 'SH is on the squad list');
  assert.ok(await fitsWidth(page));
  await shot(page, 's10-team-leader-selection-tablet');
  await page.getByTestId('path-link').first().click();
  await page.waitForURL('**/selection/entries/*');
  await page.getByTestId('selection-path').locator('tbody tr').first().waitFor();
  await page.context().close();
});
