-- Articles, with their clean text and everything learnt while cleaning them.
CREATE TABLE articles (
    id              TEXT PRIMARY KEY,
    source_key      TEXT NOT NULL,      -- where it came from: URL, or path + record
    raw_hash        TEXT NOT NULL,      -- hash of the raw body, to skip unchanged re-ingests
    source_id       TEXT,               -- the input's own id (JSONL id, WARC record id)
    source_path     TEXT NOT NULL,
    source_kind     TEXT NOT NULL,
    url             TEXT,
    canonical_url   TEXT,
    outlet          TEXT,
    author          TEXT,
    title           TEXT,
    published       TEXT,               -- ISO 8601, date only when the time is unknown
    language        TEXT,
    text            TEXT NOT NULL,
    text_hash       TEXT NOT NULL,
    words           INTEGER NOT NULL,
    sentences       TEXT NOT NULL,      -- JSON [[start, end], ...] into text
    removed         TEXT NOT NULL,      -- JSON [[line, reason], ...]
    duplicate_of    TEXT REFERENCES articles(id) ON DELETE SET NULL,
    ingested_at     TEXT NOT NULL
);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_source_key ON articles(source_key);
CREATE INDEX articles_published ON articles(published);

-- Provenance cues: attribution lines, foreign canonical links, wire datelines.
CREATE TABLE cues (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    outlet      TEXT,
    url         TEXT,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX cues_outlet ON cues(outlet);

-- The raw input of text articles (zlib), and the map from clean offsets back into it.
CREATE TABLE raw_inputs (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    content     BLOB NOT NULL,
    raw_map     TEXT                -- JSON [[start, length, raw_start, raw_length], ...]
);

-- How many pages of each site carry each short line: repetition evidence for furniture.
CREATE TABLE site_lines (
    site_key    TEXT NOT NULL,
    line_hash   INTEGER NOT NULL,
    pages       INTEGER NOT NULL,
    PRIMARY KEY (site_key, line_hash)
) WITHOUT ROWID;

-- One row per ingest run, with its counts; and every skipped input with its reason.
CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    paths       TEXT NOT NULL,
    counts      TEXT
);
CREATE TABLE skips (
    run_id      INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    message     TEXT NOT NULL
);
