"""Thread Q&A: a reply under an incident asks about it, the bot answers with evidence.

``retrieve`` finds the passages of the incident's articles that match the
question (Chinese and English alike); ``Answerer`` has the QA model answer from
them, or quotes them when there is no model; ``render_answer`` and
``answer_text`` show the result in Slack and in a terminal.
"""
