-- Issue 21: candidate search reads a key's carriers only within the time window. Each
-- posting now holds its article's publication day (`day_number`, the proleptic ordinal of
-- date.toordinal; 0 when unknown), between the key and the article in the primary key, so a
-- batch of articles published within some days of each other reads a key's carriers of those
-- days (and the undated) as one range of the index, instead of every carrier of the key and
-- dropping those outside the window afterwards. The rows are copied with their days by a
-- Python step (`key_days.date_postings`): the day is read as candidate search reads it.
CREATE TABLE sketch_keys_dated (
    key         INTEGER NOT NULL,
    day         INTEGER NOT NULL,   -- the article's publication day; 0 unknown
    article_id  TEXT NOT NULL,
    kind        INTEGER NOT NULL,   -- 0 text, 1 sentence, 2 LSH band, 3 anchor
    PRIMARY KEY (key, day, article_id)
) WITHOUT ROWID;
-- A posting's day is its article's: a new publication day drops the sketch (as a new text
-- does, migration 5), so the next `relate` writes its postings with the new day and relates
-- the article again within its new window.
CREATE TRIGGER IF NOT EXISTS articles_day_changed AFTER UPDATE OF published ON articles
WHEN substr(old.published, 1, 10) IS NOT substr(new.published, 1, 10)
BEGIN
    DELETE FROM sketches WHERE article_id = new.id;
END;
