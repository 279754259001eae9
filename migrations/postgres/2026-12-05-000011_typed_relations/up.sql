-- Relations as join tables with foreign keys instead of JSON lists, NULL instead of the '' judge
-- of measurement marks, dates as DATE and photos as bytes. Existing data is carried over.
-- The SQLite twin of this file rebuilds the tables whose columns change; PostgreSQL alters them
-- in place. The new tables and indexes are the same on both. See ../README.md.

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
    SELECT g.id, (m.ord - 1)::integer, m.value
    FROM marking_groups g, json_array_elements_text(g.members::json) WITH ORDINALITY AS m(value, ord);
INSERT INTO marking_group_sub_criteria (group_id, position, sub_criterion_id)
    SELECT g.id, (s.ord - 1)::integer, s.value
    FROM marking_groups g, json_array_elements_text(g.sub_criteria::json) WITH ORDINALITY AS s(value, ord);
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
    SELECT d.id, (e.ord - 1)::integer, e.value, w.value::integer
    FROM workstation_draws d
    CROSS JOIN LATERAL json_array_elements_text(d.entry_ids::json) WITH ORDINALITY AS e(value, ord)
    JOIN LATERAL json_array_elements_text(d.workstations::json) WITH ORDINALITY AS w(value, ord) ON w.ord = e.ord;
ALTER TABLE workstation_draws DROP COLUMN entry_ids;
ALTER TABLE workstation_draws DROP COLUMN workstations;

-- Dates: text that is no date fails the cast, and so the migration.
ALTER TABLE events ALTER COLUMN c1_date TYPE DATE USING c1_date::date;
ALTER TABLE competitors ALTER COLUMN birth_date TYPE DATE USING birth_date::date;

-- Photos as bytes.
ALTER TABLE competitor_photos ALTER COLUMN data TYPE BYTEA USING decode(data, 'base64');

-- Measurement marks (entered once per entry) have no judge: NULL, not ''. The two partial
-- indexes keep the old uniqueness: one mark per (entry, aspect, judge), and one per (entry,
-- aspect) without a judge.
ALTER TABLE marks DROP CONSTRAINT marks_entry_id_aspect_key_judge_id_key;
ALTER TABLE marks ALTER COLUMN judge_id DROP NOT NULL;
UPDATE marks SET judge_id = NULL WHERE judge_id = '';
CREATE UNIQUE INDEX marks_judge_slot ON marks (entry_id, aspect_key, judge_id) WHERE judge_id IS NOT NULL;
CREATE UNIQUE INDEX marks_measurement_slot ON marks (entry_id, aspect_key) WHERE judge_id IS NULL;
