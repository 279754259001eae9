-- One marking scheme per skill, kept as a JSON document (criteria → sub-criteria → aspects) and
-- edited whole with a version; frozen before marking starts.
CREATE TABLE marking_schemes (
    skill_id TEXT PRIMARY KEY NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT,
    frozen_at TIMESTAMP,
    frozen_by TEXT
);
