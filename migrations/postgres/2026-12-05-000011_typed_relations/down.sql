-- Back to JSON lists, the '' judge, dates as text and base64 photos.
DROP INDEX marks_measurement_slot;
DROP INDEX marks_judge_slot;
UPDATE marks SET judge_id = '' WHERE judge_id IS NULL;
ALTER TABLE marks ALTER COLUMN judge_id SET NOT NULL;
ALTER TABLE marks ADD CONSTRAINT marks_entry_id_aspect_key_judge_id_key UNIQUE (entry_id, aspect_key, judge_id);

-- PostgreSQL's base64 breaks lines every 76 characters; the application wrote it unbroken.
ALTER TABLE competitor_photos ALTER COLUMN data TYPE TEXT USING translate(encode(data, 'base64'), E'\n', '');

ALTER TABLE competitors ALTER COLUMN birth_date TYPE TEXT USING to_char(birth_date, 'YYYY-MM-DD');
ALTER TABLE events ALTER COLUMN c1_date TYPE TEXT USING to_char(c1_date, 'YYYY-MM-DD');

ALTER TABLE workstation_draws ADD COLUMN entry_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workstation_draws ADD COLUMN workstations TEXT NOT NULL DEFAULT '[]';
UPDATE workstation_draws d SET
    entry_ids = (SELECT json_agg(a.entry_id ORDER BY a.position)::text
                 FROM workstation_draw_assignments a WHERE a.draw_id = d.id),
    workstations = (SELECT json_agg(a.workstation ORDER BY a.position)::text
                    FROM workstation_draw_assignments a WHERE a.draw_id = d.id)
    WHERE EXISTS (SELECT 1 FROM workstation_draw_assignments a WHERE a.draw_id = d.id);
ALTER TABLE workstation_draws ALTER COLUMN entry_ids DROP DEFAULT;
ALTER TABLE workstation_draws ALTER COLUMN workstations DROP DEFAULT;
DROP TABLE workstation_draw_assignments;

ALTER TABLE marking_groups ADD COLUMN members TEXT NOT NULL DEFAULT '[]';
ALTER TABLE marking_groups ADD COLUMN sub_criteria TEXT NOT NULL DEFAULT '[]';
UPDATE marking_groups g SET
    members = COALESCE((SELECT json_agg(m.user_id ORDER BY m.position)::text
                        FROM marking_group_members m WHERE m.group_id = g.id), '[]'),
    sub_criteria = COALESCE((SELECT json_agg(s.sub_criterion_id ORDER BY s.position)::text
                             FROM marking_group_sub_criteria s WHERE s.group_id = g.id), '[]');
ALTER TABLE marking_groups ALTER COLUMN members DROP DEFAULT;
ALTER TABLE marking_groups ALTER COLUMN sub_criteria DROP DEFAULT;
DROP TABLE marking_group_sub_criteria;
DROP TABLE marking_group_members;
