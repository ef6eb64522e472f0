-- Whether an article sketched has met its candidates. `relate` relates the sketched articles
-- that have not, so a run stopped between sketching and the end of relating resumes where it
-- stopped (before this, a rerun found nothing new to sketch and related nothing). Sketches of
-- a store made before this are taken as related, as its runs left them.
ALTER TABLE sketches ADD COLUMN related INTEGER NOT NULL DEFAULT 0;
UPDATE sketches SET related = 1;
CREATE INDEX sketches_unrelated ON sketches(article_id) WHERE related = 0;
