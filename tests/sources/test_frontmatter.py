"""split_front_matter: YAML, TOML or none; a broken block is read line by line."""

from __future__ import annotations

import pytest

from bot.sources.frontmatter import split_front_matter


def test_yaml_front_matter_and_body() -> None:
    front = split_front_matter("---\ntitle: A\ntags: [x, y]\n---\nBody\n")
    assert front.meta == {"title": "A", "tags": ["x", "y"]}
    assert front.body == "Body\n"
    assert front.warnings == []


def test_toml_front_matter_and_body() -> None:
    front = split_front_matter('+++\ntitle = "A"\ndraft = false\n+++\nBody\n')
    assert front.meta == {"title": "A", "draft": False}
    assert front.body == "Body\n"


def test_no_front_matter_is_all_body() -> None:
    front = split_front_matter("\ufeff# Heading\n\nText\n")
    assert front.meta == {}
    assert front.body == "# Heading\n\nText\n"


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [
        # The picker archive writes these titles unquoted: not YAML, still a title.
        (
            "---\ntitle: [更新中] 微软Outlook遭到DDoS\nurl: https://x.test/a\n---\nb",
            "[更新中] 微软Outlook遭到DDoS",
            "YAML",
        ),
        (
            "---\ntitle: 'Error' in defences: amplified\nurl: https://x.test/a\n---\nb",
            "'Error' in defences: amplified",
            "YAML",
        ),
        ("+++\ntitle = Unquoted\nurl = 'https://x.test/a'\n+++\nb", "Unquoted", "TOML"),
    ],
)
def test_invalid_front_matter_is_read_line_by_line_with_a_warning(
    text: str, title: str, kind: str
) -> None:
    front = split_front_matter(text)
    assert front.meta["title"] == title
    assert front.meta["url"] == "https://x.test/a"
    assert front.body == "b"
    (warning,) = front.warnings
    assert f"not valid {kind}" in warning


def test_lenient_reading_skips_block_scalars_and_keeps_the_first_key() -> None:
    front = split_front_matter("---\ntitle: [a\nsummary: |\n  long text\ntitle: second\n---\n")
    assert front.meta == {"title": "[a"}


def test_front_matter_that_is_not_a_mapping_is_ignored_but_the_body_kept() -> None:
    front = split_front_matter("---\n- a\n- b\n---\nBody")
    assert front.meta == {}
    assert front.body == "Body"
    assert front.warnings == ["front matter is not a mapping of keys; ignored"]
