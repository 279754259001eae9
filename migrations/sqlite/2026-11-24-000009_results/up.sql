-- Results (成绩): per-event rules, each skill's ratified and published results, disputes during
-- the public-notice period (成绩公示) and the queue of result mails.

-- The event's result rules as a JSON document (scale, tie tolerance, awards, squad, notice days).
CREATE TABLE result_rules (
    event_id TEXT PRIMARY KEY NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A skill without a row is a draft. `ratified_snapshot` is frozen at ratification; what the
-- audiences see is `published_snapshot`, kept while an upheld dispute reopens the skill.
CREATE TABLE skill_results (
    skill_id TEXT PRIMARY KEY NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    ratified_snapshot TEXT,
    ratified_at TIMESTAMP,
    ratified_by TEXT,
    published_snapshot TEXT,
    audience TEXT NOT NULL,
    public_at TIMESTAMP,
    scheduled_audience TEXT,
    scheduled_at TIMESTAMP,
    ceremony_step INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX skill_results_event ON skill_results (event_id);
CREATE INDEX skill_results_scheduled ON skill_results (scheduled_at);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    aspect_key TEXT,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TIMESTAMP
);
CREATE INDEX disputes_event ON disputes (event_id, status);
CREATE INDEX disputes_skill ON disputes (skill_id, status);

-- Mails waiting to be sent (or failed for good); a worker sends and retries them.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_event ON mail_outbox (event_id, status);
