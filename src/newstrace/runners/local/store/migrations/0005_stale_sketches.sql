-- A changed text makes its sketch stale: drop the sketch row when the text changes, so that
-- "is every article sketched?" is two counts (cheap at every `check`) instead of a join over
-- the whole collection. Its keys and relations go when the article is sketched again.
CREATE TRIGGER IF NOT EXISTS articles_text_changed AFTER UPDATE OF text_hash ON articles
WHEN old.text_hash IS NOT new.text_hash
BEGIN
    DELETE FROM sketches WHERE article_id = new.id;
END;
DELETE FROM sketches
WHERE text_hash != (SELECT a.text_hash FROM articles a WHERE a.id = sketches.article_id);
