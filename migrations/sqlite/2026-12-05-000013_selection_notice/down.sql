DROP INDEX selection_stage_skills_skill;
ALTER TABLE selection_stages DROP COLUMN public_at;
ALTER TABLE selection_programmes DROP COLUMN team_public_at;
ALTER TABLE selection_programmes DROP COLUMN notice_days;
