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
};

export const floorMessages = { en, 'zh-CN': zhCN } as const;

export type FloorKey = keyof typeof en;

/** A floor string with its `{placeholders}` filled in. */
export function floorText(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
