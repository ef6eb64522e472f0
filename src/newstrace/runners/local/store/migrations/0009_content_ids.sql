-- Ids that follow the content, not the folder: store/rekey.py re-derives the keys and ids of
-- articles read from files (it runs after this script, in the same transaction). Ingest now
-- asks whether an input was stored with the same raw content by key and hash together.
CREATE INDEX IF NOT EXISTS articles_source_raw ON articles(source_key, raw_hash);
