"""``python -m covtasks`` runs the command line."""

from covtasks.cli import main

if __name__ == "__main__":
    main()
