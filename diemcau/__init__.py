"""Điểm Cầu wiring: settings, the command line and process start-up.

The domain lives in the sibling packages ``storage``, ``minutes``, ``transcribe``, ``bot`` and
``web``; this package only reads configuration and puts them together.
"""

__version__ = "0.1.0"
