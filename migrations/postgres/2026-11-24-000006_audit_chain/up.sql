-- Tamper evidence: each audit record carries the hash of the one before it in its chain (one
-- chain per skill for marking, per event otherwise), so an edited or deleted record breaks the
-- chain at a point a check can name.
CREATE TABLE audit_chains (
    chain TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    head_hash TEXT NOT NULL
);
ALTER TABLE audit_log ADD COLUMN chain TEXT;
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain, seq);
