"""Trackside: a track-side interval timer."""

__version__ = "0.1.0"
