DROP TABLE server_secrets;
DROP TABLE audit_log;
DROP TABLE one_time_tokens;
DROP TABLE refresh_tokens;
DROP TABLE role_assignments;
DROP TABLE users;
