"""Readers turn input files (or stdin) into `RawDocument`s, one format a module."""
