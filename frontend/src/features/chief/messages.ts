/** Strings of the chief expert's desktop screens (namespace `chief`). */

const en = {
  progressTitle: 'Marking progress',
};

const zhCN: Record<keyof typeof en, string> = {
  progressTitle: '评分进度',
};

export const chiefMessages = { en, 'zh-CN': zhCN } as const;
