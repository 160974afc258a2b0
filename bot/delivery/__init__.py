"""Delivering digests exactly once, through message ports that Slack (or a terminal) implements."""
