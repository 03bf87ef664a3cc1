import os
import sys

# `python -m routelint` puts the working directory first on sys.path, so a file there named like
# a module routelint imports (click.py, libcst.py, difflib.py) would be imported, and run, in its
# place: the code being linted would execute. routelint itself is imported by now.
try:
    if sys.path and sys.path[0] and os.path.abspath(sys.path[0]) == os.getcwd():
        del sys.path[0]
except OSError:  # the working directory was deleted: nothing can be imported from it; cli says so
    pass

# What this cannot prevent: a routelint.py or routelint/ in the working directory is found before
# the installed package, so Python runs *it* for `python -m routelint` (this file never runs), or
# imports its routelint/__init__.py before this file. The second case is caught here, too late to
# stop that code, but before it is mistaken for routelint (README: "Your code never runs").
_package = os.path.dirname(os.path.abspath(__file__))
_imported = getattr(sys.modules.get("routelint"), "__file__", None)
if _imported is not None and os.path.dirname(os.path.abspath(_imported)) != _package:
    sys.stderr.write(
        f"routelint: error: `routelint` was imported from {_imported}, not from {_package}: "
        "`python -m routelint` runs a routelint.py or routelint/ found in the working directory first; "
        "run the `routelint` command (or `python -P -m routelint`) instead\n"
    )
    sys.exit(2)

from routelint.cli import main  # noqa: E402  (after the sys.path guard above, on purpose)

if __name__ == "__main__":
    main(prog_name="routelint")
