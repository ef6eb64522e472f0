"""Stories (articles about one real-world event) and their provenance (who copied whom).

Pure functions over records, like `newstrace.reuse`; `newstrace.storying` runs them on a store.
"""
