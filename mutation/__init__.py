"""`make mutate`: cosmic-ray run per module against that module's own tests, scored and checked.

The pure parts (the module → tests map, which mutants count, recorded equivalents, scores)
live in their own modules with tests under tests/test_mutation_*.py; ``session`` and
``contexts`` are the thin shell that drives cosmic-ray and coverage.py.
"""
