import os
import sys

# `python -m routelint` puts the working directory first on sys.path, so a file there named like
# a module routelint imports (click.py, libcst.py, difflib.py) would be imported, and run, in its
# place: the code being linted would execute. routelint itself is imported by now.
if sys.path and sys.path[0] and os.path.abspath(sys.path[0]) == os.getcwd():
    del sys.path[0]

from routelint.cli import main

if __name__ == "__main__":
    main(prog_name="routelint")
