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

from routelint.cli import main  # noqa: E402

if __name__ == "__main__":
    main(prog_name="routelint")
