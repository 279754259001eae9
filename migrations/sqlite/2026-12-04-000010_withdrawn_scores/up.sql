-- Judges' scores a chief expert withdrew (with a reason): the record of what was taken out, and
-- the tablet's client id, so that a late replay of the same score from an offline queue is
-- refused instead of bringing it back.
CREATE TABLE withdrawn_scores (
    client_id TEXT PRIMARY KEY NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    aspect_key TEXT NOT NULL,
    judge_id TEXT NOT NULL,
    value INTEGER NOT NULL,
    reason TEXT NOT NULL,
    withdrawn_by TEXT NOT NULL,
    withdrawn_at TIMESTAMP NOT NULL
);
CREATE INDEX withdrawn_scores_entry ON withdrawn_scores (entry_id);
