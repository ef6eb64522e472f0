-- What the stored results were computed with (for now: the relate model's stamp), so that
-- a newer model's verdicts are not mixed with an older one's.
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
