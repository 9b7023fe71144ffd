"""``python -m notegraph`` runs the command line."""

from notegraph.cli import main

if __name__ == "__main__":
    main()
