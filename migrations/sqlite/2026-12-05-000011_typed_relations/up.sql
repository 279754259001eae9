-- Relations as join tables with foreign keys instead of JSON lists, NULL instead of the '' judge
-- of measurement marks, dates as DATE and photos as bytes. Existing data is carried over.
-- The PostgreSQL twin of this file alters columns in place; SQLite cannot, so this one rebuilds
-- the tables whose column types or nullability change (SQLite's procedure for "other kinds of
-- table schema changes", https://sqlite.org/lang_altertable.html#otheralter). See ../README.md.

-- Rebuilding a table drops it, and dropping `events` while foreign keys are enforced would
-- cascade-delete every event's data. `db::run_migrations` turns foreign keys off around SQLite
-- migrations (a pragma that only takes effect outside a transaction); refuse to run otherwise.
CREATE TEMP TABLE migration_check (problems INTEGER NOT NULL CHECK (problems = 0));
INSERT INTO migration_check SELECT foreign_keys FROM pragma_foreign_keys;

-- Marking groups: members and sub-criteria, in the order given.
CREATE TABLE marking_group_members (
    group_id TEXT NOT NULL REFERENCES marking_groups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, position)
);
CREATE INDEX marking_group_members_user ON marking_group_members (user_id);
CREATE TABLE marking_group_sub_criteria (
    group_id TEXT NOT NULL REFERENCES marking_groups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- A sub-criterion of the skill's scheme (a JSON document), hence no foreign key.
    sub_criterion_id TEXT NOT NULL,
    PRIMARY KEY (group_id, position)
);
-- Malformed JSON fails the migration rather than becoming an empty list.
INSERT INTO marking_group_members (group_id, position, user_id)
    SELECT g.id, m.key, m.value FROM marking_groups g, json_each(g.members) m;
INSERT INTO marking_group_sub_criteria (group_id, position, sub_criterion_id)
    SELECT g.id, s.key, s.value FROM marking_groups g, json_each(g.sub_criteria) s;
ALTER TABLE marking_groups DROP COLUMN members;
ALTER TABLE marking_groups DROP COLUMN sub_criteria;

-- A draw's result: entry → workstation, in the order drawn (the order a replay needs). An entry
-- in a recorded draw cannot be deleted on its own (no cascade): the record stays whole.
CREATE TABLE workstation_draw_assignments (
    draw_id TEXT NOT NULL REFERENCES workstation_draws(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entry_id TEXT NOT NULL REFERENCES entries(id),
    workstation INTEGER NOT NULL,
    PRIMARY KEY (draw_id, position)
);
CREATE INDEX workstation_draw_assignments_entry ON workstation_draw_assignments (entry_id);
INSERT INTO workstation_draw_assignments (draw_id, position, entry_id, workstation)
    SELECT d.id, e.key, e.value, w.value
    FROM workstation_draws d, json_each(d.entry_ids) e
    JOIN json_each(d.workstations) w ON w.key = e.key;
ALTER TABLE workstation_draws DROP COLUMN entry_ids;
ALTER TABLE workstation_draws DROP COLUMN workstations;

-- Dates: `date()` returns NULL for text that is no date, which NOT NULL refuses.
CREATE TABLE events_new (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    venue TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    c1_date DATE NOT NULL,
    competition_days INTEGER NOT NULL,
    registration_deadline TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO events_new
    SELECT id, name, venue, time_zone, date(c1_date), competition_days, registration_deadline, status,
           version, created_at, updated_at
    FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

CREATE TABLE competitors_new (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date DATE NOT NULL,
    id_number TEXT NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, id_number)
);
INSERT INTO competitors_new
    SELECT id, event_id, entry_id, name, gender, date(birth_date), id_number, user_id, version, created_at,
           updated_at
    FROM competitors;
DROP TABLE competitors;
ALTER TABLE competitors_new RENAME TO competitors;
CREATE INDEX competitors_entry ON competitors (entry_id);

-- Photos as bytes. SQLite has no base64 decoder: `base64_decode` is registered on the migrating
-- connection by `db::run_migrations` (NULL for text that is no base64, which NOT NULL refuses).
CREATE TABLE competitor_photos_new (
    competitor_id TEXT PRIMARY KEY NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO competitor_photos_new
    SELECT competitor_id, content_type, base64_decode(data), updated_at FROM competitor_photos;
DROP TABLE competitor_photos;
ALTER TABLE competitor_photos_new RENAME TO competitor_photos;

-- Measurement marks (entered once per entry) have no judge: NULL, not ''. The two partial
-- indexes keep the old uniqueness: one mark per (entry, aspect, judge), and one per (entry,
-- aspect) without a judge.
CREATE TABLE marks_new (
    id TEXT PRIMARY KEY NOT NULL,
    skill_id TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    aspect_key TEXT NOT NULL,
    sub_criterion_id TEXT NOT NULL,
    judge_id TEXT,
    input TEXT NOT NULL,
    value INTEGER NOT NULL,
    note TEXT,
    unsure BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    entered_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO marks_new
    SELECT id, skill_id, entry_id, aspect_key, sub_criterion_id, NULLIF(judge_id, ''), input, value, note, unsure,
           version, client_id, entered_by, updated_at
    FROM marks;
DROP TABLE marks;
ALTER TABLE marks_new RENAME TO marks;
CREATE INDEX marks_skill ON marks (skill_id, entry_id);
CREATE UNIQUE INDEX marks_judge_slot ON marks (entry_id, aspect_key, judge_id) WHERE judge_id IS NOT NULL;
CREATE UNIQUE INDEX marks_measurement_slot ON marks (entry_id, aspect_key) WHERE judge_id IS NULL;

-- Every foreign key holds (the new ones were filled while enforcement was off) before this commits.
INSERT INTO migration_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE migration_check;
