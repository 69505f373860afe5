"""python -m explainer ...: see explainer/cli.py."""
import sys

from explainer.cli import main

if __name__ == "__main__":
    sys.exit(main())
