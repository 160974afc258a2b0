"""Summarizers: a small protocol (``base``), engines behind it, loaded once (``factory``)."""
