"""Operating the bot: Prometheus metrics and heartbeats (what ``outage-bot status`` reads).

``metrics`` imports nothing from ``bot``, so every stage may count what it does
without an import cycle; the composition root (``bot.cli``) exposes them.
"""
