DROP TABLE selection_team;
DROP TABLE selection_advancements;
DROP TABLE selection_stage_skills;
DROP TABLE selection_stages;
DROP TABLE selection_programmes;
