-- The notice period (公示) of squad and team lists: each programme's length in days (default 7,
-- like results' notice), and when each list was released to the public (the period starts then).
ALTER TABLE selection_programmes ADD COLUMN notice_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE selection_programmes ADD COLUMN team_public_at TIMESTAMP;
ALTER TABLE selection_stages ADD COLUMN public_at TIMESTAMP;
-- A skill's phase asks whether a list about it is under notice.
CREATE INDEX selection_stage_skills_skill ON selection_stage_skills (skill_id);
