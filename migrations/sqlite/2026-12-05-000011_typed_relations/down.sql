-- Back to JSON lists, the '' judge, dates as text and base64 photos. Like `up.sql`, this rebuilds
-- tables, so it needs foreign keys off (it refuses to run otherwise) and `base64_encode`, which
-- `db::revert_last_migration` registers on the connection (SQLite has no encoder).
CREATE TEMP TABLE migration_check (problems INTEGER NOT NULL CHECK (problems = 0));
INSERT INTO migration_check SELECT foreign_keys FROM pragma_foreign_keys;

CREATE TABLE marks_old (
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
INSERT INTO marks_old
    SELECT id, skill_id, entry_id, aspect_key, sub_criterion_id, COALESCE(judge_id, ''), input, value, note, unsure,
           version, client_id, entered_by, updated_at
    FROM marks;
DROP TABLE marks;
ALTER TABLE marks_old RENAME TO marks;
CREATE INDEX marks_skill ON marks (skill_id, entry_id);

CREATE TABLE competitor_photos_old (
    competitor_id TEXT PRIMARY KEY NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO competitor_photos_old
    SELECT competitor_id, content_type, base64_encode(data), updated_at FROM competitor_photos;
DROP TABLE competitor_photos;
ALTER TABLE competitor_photos_old RENAME TO competitor_photos;

CREATE TABLE competitors_old (
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
INSERT INTO competitors_old SELECT * FROM competitors;
DROP TABLE competitors;
ALTER TABLE competitors_old RENAME TO competitors;
CREATE INDEX competitors_entry ON competitors (entry_id);

CREATE TABLE events_old (
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
INSERT INTO events_old SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;

ALTER TABLE workstation_draws ADD COLUMN entry_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workstation_draws ADD COLUMN workstations TEXT NOT NULL DEFAULT '[]';
UPDATE workstation_draws SET
    entry_ids = (SELECT json_group_array(entry_id) FROM (SELECT a.entry_id FROM workstation_draw_assignments a
                 WHERE a.draw_id = workstation_draws.id ORDER BY a.position)),
    workstations = (SELECT json_group_array(workstation) FROM (SELECT a.workstation FROM workstation_draw_assignments a
                    WHERE a.draw_id = workstation_draws.id ORDER BY a.position));
DROP TABLE workstation_draw_assignments;

ALTER TABLE marking_groups ADD COLUMN members TEXT NOT NULL DEFAULT '[]';
ALTER TABLE marking_groups ADD COLUMN sub_criteria TEXT NOT NULL DEFAULT '[]';
UPDATE marking_groups SET
    members = (SELECT json_group_array(user_id) FROM (SELECT m.user_id FROM marking_group_members m
               WHERE m.group_id = marking_groups.id ORDER BY m.position)),
    sub_criteria = (SELECT json_group_array(sub_criterion_id) FROM (SELECT s.sub_criterion_id
                    FROM marking_group_sub_criteria s WHERE s.group_id = marking_groups.id ORDER BY s.position));
DROP TABLE marking_group_sub_criteria;
DROP TABLE marking_group_members;

INSERT INTO migration_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE migration_check;
