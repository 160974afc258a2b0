"""Everything that speaks to Slack. The WebClient is built by the CLI and passed in."""
