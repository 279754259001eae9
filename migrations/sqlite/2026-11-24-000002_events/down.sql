DROP TABLE delegations;
DROP TABLE skills;
DROP TABLE events;
