-- Each story's facts summary (counts of conflicts, altered facts, additions...), kept when
-- `analyze` computes it, so that an index of stories reads counts instead of extracting the
-- claims of every article again. `basis` hashes what the facts were computed from (members,
-- their texts, the verdicts among them): a summary whose basis differs is not used.
CREATE TABLE IF NOT EXISTS story_facts (
    story_id    TEXT PRIMARY KEY,
    basis       TEXT NOT NULL,
    summary     TEXT NOT NULL       -- JSON
);
