"""``python -m exodisc``: the same command line as ``exodisc``."""

from exodisc.cli import main

if __name__ == "__main__":
    main()
