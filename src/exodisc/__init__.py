"""exodisc: exosome / stem-cell therapy studies of intervertebral disc cells, end to end."""

from exodisc._version import __version__

__all__ = ["__version__"]
