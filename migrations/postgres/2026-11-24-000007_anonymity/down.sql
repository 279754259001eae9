DROP TABLE skill_reveals;
DROP INDEX entries_anon_code;
ALTER TABLE entries DROP COLUMN anon_code;
