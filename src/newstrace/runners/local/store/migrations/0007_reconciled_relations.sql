-- Reconcile (newstrace.stages.reuse.reconcile) may relabel a pair independent in the light of the
-- pairs around it. `pairwise` keeps what the pair's own alignment said (NULL: the same as
-- `relation`), so a later reconcile starts again from the evidence; `explained_by` names the
-- article whose stronger link accounts for what the pair shares.
ALTER TABLE relations ADD COLUMN pairwise TEXT;
ALTER TABLE relations ADD COLUMN explained_by TEXT;
-- Rows not reconciled yet (new pairs, and every pair of a store made before this): the next
-- `relate` reconciles the pairs around them.
ALTER TABLE relations ADD COLUMN reconciled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX relations_unreconciled ON relations(a) WHERE reconciled = 0;
