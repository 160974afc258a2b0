"""Digests: which incidents a channel gets, with summaries (build), and how they read (render)."""
