-- Issue 22: an article's sentence vectors are kept per model. Under `--encoder cascade` the
-- static model's vectors (which candidates, relating and facts read) and MiniLM's (for the
-- pairs the static model leaves undecided) are both an article's; keyed by the article alone,
-- MiniLM's replaced the static model's, and facts then found no vectors for those articles
-- (37 more sentences called additions on ecbplus-dev than the Spark runner, which holds both).
CREATE TABLE sentence_vectors_by_model (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    dims        INTEGER NOT NULL,
    vectors     BLOB NOT NULL,      -- float16, one row of `dims` a sentence
    PRIMARY KEY (article_id, model)
) WITHOUT ROWID;
INSERT INTO sentence_vectors_by_model (article_id, model, text_hash, dims, vectors)
    SELECT article_id, model, text_hash, dims, vectors FROM sentence_vectors;
DROP TABLE sentence_vectors;
ALTER TABLE sentence_vectors_by_model RENAME TO sentence_vectors;
