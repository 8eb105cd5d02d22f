"""`python -m workflow ...` runs the command line."""

from workflow.cli import main

raise SystemExit(main())
