"""`python -m ccsim` runs the command line."""

from ccsim.cli import main

main()
