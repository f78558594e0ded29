"""``python -m covtasks`` runs the command line."""

from covtasks.cli import main

main()
