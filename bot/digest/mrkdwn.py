"""Text from outside (feeds, pages, status updates) made safe for Slack's mrkdwn.

Slack decodes only ``&amp;``, ``&lt;`` and ``&gt;``; it has no escape for its
formatting characters. A title such as ``*boom*`` would turn bold, and a ``*``
inside a title we wrap in ``*<url|title>*`` would end our bold early. So the
formatting characters are replaced by look-alikes that Slack does not format:
the title still reads the same, it just cannot change the message around it.
"""

from __future__ import annotations

# Characters that open or close mrkdwn formatting: bold, italic, strike, code.
FORMATTING = "*_~`"
_LOOKALIKES = str.maketrans(
    {
        "*": "\u2217",  # ∗ asterisk operator
        "_": "\u02cd",  # ˍ modifier letter low macron
        "~": "\u223c",  # ∼ tilde operator
        "`": "\u02cb",  # ˋ modifier letter grave accent
    }
)


def escape(text: str) -> str:
    """Slack's three control characters only: for link targets and code spans."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(raw: str) -> str:
    """Outside text as literal mrkdwn: no mention, link, entity or formatting survives."""
    return escape(raw).translate(_LOOKALIKES)
