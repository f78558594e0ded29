"""covtasks: keep a team's coverage roadmap true."""

__version__ = "0.1.0"
