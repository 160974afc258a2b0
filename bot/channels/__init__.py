"""Channels: the config file's and those set up in Slack, with their feed subscriptions."""
