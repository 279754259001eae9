-- Entries (a delegation's participation in a skill), their competitors, the experts of each
-- skill, and workstation draws.
CREATE TABLE entries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    delegation_id TEXT NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    workstation INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX entries_skill ON entries (skill_id, delegation_id);
CREATE INDEX entries_delegation ON entries (delegation_id);

-- A competitor belongs to exactly one entry, hence to one skill; an ID number appears once
-- per event.
CREATE TABLE competitors (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    id_number TEXT NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, id_number)
);
CREATE INDEX competitors_entry ON competitors (entry_id);

CREATE TABLE experts (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    delegation_id TEXT NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX experts_skill ON experts (skill_id);

CREATE TABLE workstation_draws (
    id TEXT PRIMARY KEY NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    seed TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    workstation_count INTEGER NOT NULL,
    entry_ids TEXT NOT NULL,
    workstations TEXT NOT NULL,
    reason TEXT,
    drawn_by TEXT,
    drawn_at TIMESTAMP NOT NULL
);
CREATE INDEX workstation_draws_skill ON workstation_draws (skill_id, drawn_at);
