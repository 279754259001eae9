DROP TABLE workstation_draws;
DROP TABLE experts;
DROP TABLE competitors;
DROP TABLE entries;
