"""Benchmarks for covtasks at monorepo scale: synthetic repositories and a timing runner."""
