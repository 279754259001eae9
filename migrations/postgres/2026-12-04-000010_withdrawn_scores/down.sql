DROP TABLE withdrawn_scores;
