"""The real-world corpus: pinned sdists of real projects, their own suites under coverage."""
