-- Reuse detection: sketches and their keys (the candidate index), cached sentence vectors,
-- and the relations found between article pairs.
CREATE TABLE sketches (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    text_hash   TEXT NOT NULL,      -- the text sketched: a changed text is sketched anew
    words       INTEGER NOT NULL,
    anchors     INTEGER NOT NULL,   -- how many names, numbers and quotations it has
    sketched_at TEXT NOT NULL
);
CREATE TABLE sketch_keys (
    key         INTEGER NOT NULL,
    article_id  TEXT NOT NULL,
    kind        INTEGER NOT NULL,   -- 0 text, 1 sentence, 2 LSH band, 3 anchor
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE INDEX sketch_keys_article ON sketch_keys(article_id);
CREATE TABLE key_counts (
    key         INTEGER PRIMARY KEY,
    articles    INTEGER NOT NULL
);
CREATE TABLE sentence_vectors (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    text_hash   TEXT NOT NULL,
    model       TEXT NOT NULL,
    dims        INTEGER NOT NULL,
    vectors     BLOB NOT NULL       -- float16, one row of `dims` a sentence
);
CREATE TABLE relations (
    a           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    b           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    relation    TEXT NOT NULL,
    source      TEXT,
    source_reason TEXT,
    confidence  REAL NOT NULL,
    scores      TEXT NOT NULL,      -- JSON
    passages    TEXT NOT NULL,      -- JSON [{kind, a: [start, end], b: [start, end], score}]
    unmatched   TEXT NOT NULL,      -- JSON {a: [[start, end], ...], b: [...]}
    paraphrase  INTEGER NOT NULL,   -- whether paraphrase matching ran
    computed_at TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX relations_b ON relations(b);
