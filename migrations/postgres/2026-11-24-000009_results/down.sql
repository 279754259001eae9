DROP TABLE mail_outbox;
DROP TABLE disputes;
DROP TABLE skill_results;
DROP TABLE result_rules;
