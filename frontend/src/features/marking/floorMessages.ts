/**
 * Strings of the chief expert's floor view. They come with that view's own chunk rather than in
 * the `marking` namespace, which every judge's tablet loads at start-up.
 */

const en = {
  floorTitle: 'Progress on the floor · {skill}',
  floorSummary: '{locked} of {cells} locked · {ready} ready to lock · {spread} out of spread · {incomplete} still being marked',
  floorFilter: 'Show',
  filterAll: 'All entries',
  filterAttention: 'Needs attention',
  filterReady: 'Ready to lock',
  lock: 'Lock {sub}',
  lockedSub: '{sub} locked',
  lockDone: '{sub} of {entry} locked.',
  unlock: 'Unlock {sub}',
  unlockShort: 'Unlock…',
  unlockTitle: 'Unlock {sub} of {entry}?',
  unlockIntro: 'The experts can then change its marks again; lock it again once they are checked. Your reason is kept in the audit log.',
  unlockReason: 'Reason (required)',
  unlockDone: '{sub} of {entry} unlocked.',
  unlockRatified: 'The skill’s results are ratified: its marks can no longer be unlocked (only an upheld dispute reopens them).',
  unlockGone: 'This sub-criterion is no longer locked (someone unlocked it meanwhile).',
  unlockOffline: 'No answer from the server: unlocking needs the network. Try again when online.',
  cancel: 'Cancel',
  working: 'Working…',
  subMissing: '{sub}: {n} missing',
  subSpread: '{sub}: out of spread',
  scoresShort: 'Scores…',
  scoresTitle: 'Judges’ scores of {sub} · {entry}',
  scoresIntro: 'Withdraw one judge’s score when it should not count (entered by the wrong judge, or by mistake); that judge, or another of the group, then scores again. Your reason is kept in the audit log.',
  scoresNone: 'No judge has scored {sub} of this entry yet.',
  scoreChoice: '{judge}: {score}',
  withdrawReason: 'Reason for withdrawing (required)',
  withdraw: 'Withdraw this score',
  withdrawDone: '{judge}’s score of {aspect} for {entry} withdrawn.',
  withdrawLocked: '{sub} is locked for this entry: unlock it (with a reason) first.',
  withdrawRatified: 'The skill’s results are ratified: scores can no longer be withdrawn (only an upheld dispute reopens them).',
  withdrawGone: 'That score is no longer there (someone changed it meanwhile); the list is read again.',
};

const zhCN: Record<keyof typeof en, string> = {
  floorTitle: '现场进度 · {skill}',
  floorSummary: '已锁定 {locked} / {cells} · {ready} 项可锁定 · {spread} 项超出分差 · {incomplete} 项评分中',
  floorFilter: '显示',
  filterAll: '全部报名',
  filterAttention: '需要处理',
  filterReady: '可锁定',
  lock: '锁定 {sub}',
  lockedSub: '{sub} 已锁定',
  lockDone: '已锁定 {entry} 的 {sub}。',
  unlock: '解锁 {sub}',
  unlockShort: '解锁…',
  unlockTitle: '解锁 {entry} 的 {sub}？',
  unlockIntro: '解锁后裁判员可以再次修改其评分；核对后请重新锁定。您填写的原因将记入审计日志。',
  unlockReason: '原因（必填）',
  unlockDone: '已解锁 {entry} 的 {sub}。',
  unlockRatified: '本项目成绩已审定：评分不能再解锁（只有申诉成立才会重新开放）。',
  unlockGone: '该分项已不再锁定（其他人已解锁）。',
  unlockOffline: '服务器无响应：解锁需要联网。请联网后重试。',
  cancel: '取消',
  working: '正在处理……',
  subMissing: '{sub}：缺 {n} 项',
  subSpread: '{sub}：超出分差',
  scoresShort: '评分…',
  scoresTitle: '{entry} · {sub} 的裁判评分',
  scoresIntro: '某位裁判的评分不应计入时（由错误的裁判录入或误录），可将其撤回；随后由该裁判或本组其他裁判重新评分。您填写的原因将记入审计日志。',
  scoresNone: '尚无裁判为该参赛单位的 {sub} 评分。',
  scoreChoice: '{judge}：{score} 分',
  withdrawReason: '撤回原因（必填）',
  withdraw: '撤回此评分',
  withdrawDone: '已撤回 {judge} 对 {entry} 的 {aspect} 的评分。',
  withdrawLocked: '该参赛单位的 {sub} 已锁定：请先说明原因解锁。',
  withdrawRatified: '本项目成绩已审定：评分不能再撤回（只有申诉成立才会重新开放）。',
  withdrawGone: '该评分已不存在（其他人刚刚修改过）；已重新读取。',
};

export const floorMessages = { en, 'zh-CN': zhCN } as const;

export type FloorKey = keyof typeof en;

/** A floor string with its `{placeholders}` filled in. */
export function floorText(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
