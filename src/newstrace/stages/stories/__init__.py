"""Stories (articles about one real-world event) and their provenance (who copied whom).

Pure functions over records, like `newstrace.stages.reuse`; `newstrace.runners.local.storying`
runs them on a store.
"""
