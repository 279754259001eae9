-- Marking groups, marks and locks.
CREATE TABLE marking_groups (
    id TEXT PRIMARY KEY NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- JSON arrays: the experts' user ids and the sub-criterion ids the group marks.
    members TEXT NOT NULL,
    sub_criteria TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (skill_id, name)
);

-- One row per (entry, aspect, judge); measurement marks have judge_id '' (entered once per entry).
-- `value` is hundredths (amount), a count (deductions) or a score 0-3 (judgement).
CREATE TABLE marks (
    id TEXT PRIMARY KEY NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    aspect_key TEXT NOT NULL,
    sub_criterion_id TEXT NOT NULL,
    judge_id TEXT NOT NULL,
    input TEXT NOT NULL,
    value INTEGER NOT NULL,
    note TEXT,
    unsure BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    entered_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (entry_id, aspect_key, judge_id)
);
CREATE INDEX marks_skill ON marks (skill_id, entry_id);

CREATE TABLE mark_locks (
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    sub_criterion_id TEXT NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    locked_by TEXT NOT NULL,
    locked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (entry_id, sub_criterion_id)
);
