-- Events, their skills and delegations. Dates are ISO 'YYYY-MM-DD' text (portable across engines).
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    venue TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    c1_date TEXT NOT NULL,
    competition_days INTEGER NOT NULL,
    registration_deadline TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE skills (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sector TEXT NOT NULL,
    age_limit INTEGER NOT NULL,
    team_size INTEGER NOT NULL,
    max_entries_per_delegation INTEGER NOT NULL,
    judgement_mode TEXT NOT NULL,
    max_spread INTEGER NOT NULL,
    anonymous BOOLEAN NOT NULL,
    workstation_count INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, number)
);

CREATE TABLE delegations (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, code)
);
