DROP INDEX marks_entry_aspect;
