"""The DI/fixture notes engine: what each uncovered region of a module needs to be tested."""
