"""``python -m bot`` is the same as the ``outage-bot`` console script."""

from bot.cli.main import main

main()
