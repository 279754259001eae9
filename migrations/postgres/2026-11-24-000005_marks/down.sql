DROP TABLE mark_locks;
DROP TABLE marks;
DROP TABLE marking_groups;
