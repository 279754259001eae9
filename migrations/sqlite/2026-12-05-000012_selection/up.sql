-- The selection programme (选拔 → 集训 → 国家队): a programme for one target competition, its
-- ordered stages (each an event: stage 1 the national selection, later stages assessment events),
-- per stage and skill the cut, weights, basis and tie rule, the confirmed standing of who went on
-- (with withdrawals and move-ups), and the national team per skill.
CREATE TABLE selection_programmes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    target_competition TEXT NOT NULL,
    target_year INTEGER NOT NULL,
    status TEXT NOT NULL,
    team_audience TEXT NOT NULL,
    created_by TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Stage n's event; `audience` is who sees the list of who advanced from it (公示). The final
-- stage's confirmation yields the national team; no stage follows it.
CREATE TABLE selection_stages (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES selection_programmes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    is_final BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (programme_id, position),
    UNIQUE (event_id)
);

-- How a stage's skill decides who goes on: the cut, the weights of stages 1..n (JSON list of
-- percents), the basis they are weighed on, the tie rule (JSON), the training base (集训基地),
-- and when the advancement was confirmed.
CREATE TABLE selection_stage_skills (
    stage_id TEXT NOT NULL REFERENCES selection_stages(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    skill_number TEXT NOT NULL,
    cut INTEGER NOT NULL,
    weights TEXT NOT NULL,
    basis TEXT NOT NULL,
    tie_rule TEXT NOT NULL,
    training_base TEXT,
    confirmed_at TIMESTAMP,
    confirmed_by TEXT,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (stage_id, skill_id),
    UNIQUE (stage_id, skill_number)
);

-- The confirmed standing of every entry of a stage's skill: its combined standing (exact, see
-- `domain::selection::Standing`) with the stage-by-stage breakdown (JSON), its rank, whether it
-- advanced (and how), the entry it became in the next stage, and a withdrawal with its reason.
-- Who confirmed it and when is on `selection_stage_skills` (and in the audit log).
CREATE TABLE selection_advancements (
    stage_id TEXT NOT NULL REFERENCES selection_stages(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    standing BIGINT NOT NULL,
    tie_break BIGINT,
    breakdown TEXT NOT NULL,
    rank INTEGER NOT NULL,
    advanced BOOLEAN NOT NULL,
    tied_at_cut BOOLEAN NOT NULL,
    decided_by_tie_break BOOLEAN NOT NULL,
    moved_up BOOLEAN NOT NULL,
    ineligible TEXT,
    next_entry_id TEXT REFERENCES entries(id) ON DELETE SET NULL,
    withdrawn_reason TEXT,
    withdrawn_by TEXT,
    withdrawn_at TIMESTAMP,
    PRIMARY KEY (stage_id, entry_id)
);
CREATE INDEX selection_advancements_skill ON selection_advancements (skill_id);
CREATE INDEX selection_advancements_next ON selection_advancements (next_entry_id);

-- The national team per skill: member(s) and alternate, from the final stage's confirmation.
CREATE TABLE selection_team (
    programme_id TEXT NOT NULL REFERENCES selection_programmes(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    skill_number TEXT NOT NULL,
    place TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (programme_id, entry_id)
);
