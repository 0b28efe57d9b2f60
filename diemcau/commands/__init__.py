"""Subcommands of ``diemcau``, one module each, loaded lazily by ``diemcau.cli``."""
