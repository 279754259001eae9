-- An entry's marks by aspect: the marking path reads the slots a batch can touch
-- (`entry_id = ? AND aspect_key IN (…)`) and the judges' and chief's views read an entry's marks.
-- The slot indexes since 000011 are partial (judge or measurement), which neither engine can use
-- for a query that does not name `judge_id`, so those reads scanned the whole table.
CREATE INDEX marks_entry_aspect ON marks (entry_id, aspect_key);
