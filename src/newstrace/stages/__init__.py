"""The stage kernels: pure functions and classes, records in, records out; no store, no
runner, no face."""
