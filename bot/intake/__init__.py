"""Intake: read sources, claim what is new, classify it and file it into incidents."""
