-- Anonymous marking (加密): entries of an anonymous skill are marked under a code; the skill's
-- identities are revealed once all its marks are locked (recorded here, once).
ALTER TABLE entries ADD COLUMN anon_code TEXT;
CREATE UNIQUE INDEX entries_anon_code ON entries (skill_id, anon_code);
CREATE TABLE skill_reveals (
    skill_id TEXT PRIMARY KEY NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    revealed_at TIMESTAMP NOT NULL,
    revealed_by TEXT
);
