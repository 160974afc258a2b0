"""Entity extraction: providers, regions and affected brands, from the packaged catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.outage.entities import Entities, EntityCatalog
from tests.conftest import corpus_dir


@pytest.fixture(scope="module")
def catalog() -> EntityCatalog:
    return EntityCatalog.load()


def providers(catalog: EntityCatalog, text: str, title: str = "") -> tuple[str, ...]:
    return catalog.extract(title, text).providers


def regions(catalog: EntityCatalog, text: str, title: str = "") -> tuple[str, ...]:
    return catalog.extract(title, text).regions


# --- Providers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AWS is down", "aws"),
        ("Amazon Web Services is down", "aws"),
        ("Amazon’s cloud stumbled", "aws"),  # a typographic apostrophe
        ("亚马逊云科技发生故障", "aws"),
        ("亚马逊云计算服务出现中断", "aws"),
        ("亚马逊AWS故障", "aws"),
        ("亚马逊 AWS 故障", "aws"),
        ("ＡＷＳ宕机", "aws"),  # full-width letters
        ("Microsoft Azure outage", "azure"),
        ("微软云服务中断", "azure"),
        ("Azure Front Door misconfiguration", "azure"),
        ("谷歌云出现网络故障", "gcp"),
        ("Google Cloud networking incident", "gcp"),
        ("阿里云宕机", "aliyun"),
        ("Alibaba Cloud outage", "aliyun"),
        ("Facebook went dark", "meta"),
        ("脸书全球宕机", "meta"),
        ("Faulty Falcon sensor update", "crowdstrike"),
        ("Crowdstrike 更新导致蓝屏", "crowdstrike"),
        ("推特无法访问", "x"),
        ("X (formerly Twitter) is down", "x"),
        ("Musk's X suffers global outage", "x"),
        ("Twitter/X down for thousands", "x"),
        ("X（原推特）全球宕机", "x"),
        ("Claude Code returns errors", "anthropic"),
        ("Google Gemini is down", "google"),
        ("谷歌Gemini无法使用", "google"),
    ],
)
def test_aliases_in_either_language_give_one_id(
    catalog: EntityCatalog, text: str, expected: str
) -> None:
    assert providers(catalog, text) == (expected,)


def test_longest_alias_wins(catalog: EntityCatalog) -> None:
    assert providers(catalog, "Google Cloud load balancers failed") == ("gcp",)
    assert providers(catalog, "Google search was fine") == ("google",)
    assert providers(catalog, "京东云故障") == ("jdcloud",)
    assert providers(catalog, "Akamai Cloud (formerly Linode) compute") == ("linode",)


@pytest.mark.parametrize(
    "text",
    [
        "The LAWSUIT was dismissed",  # "aws" inside a word
        "The Azures archipelago",
        "He drew the flaws in red",
        "an EC2x board",
        "xboxes and xbox360s",
    ],
)
def test_latin_aliases_need_word_boundaries(catalog: EntityCatalog, text: str) -> None:
    assert "aws" not in providers(catalog, text)
    assert "azure" not in providers(catalog, text)
    assert "xbox-live" not in providers(catalog, text)


def test_word_boundaries_do_not_count_chinese_characters(catalog: EntityCatalog) -> None:
    assert providers(catalog, "企业内部协作平台Slack受影响") == ("slack",)
    assert providers(catalog, "AWS-hosted sites failed") == ("aws",)


@pytest.mark.parametrize(
    "text",
    [
        "Managers should cut some slack to on-call engineers.",
        "A Meta-analysis of outages",
        "please zoom in on the graph",
        "the stripe of a zebra",
        "we render the page server-side",
        "X marks the spot",
    ],
)
def test_common_words_are_not_providers(catalog: EntityCatalog, text: str) -> None:
    assert providers(catalog, text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Slack is down for many users", "slack"),
        ("Meta's outage lasted six hours", "meta"),
        ("Zoom calls dropped", "zoom"),
        ("Stripe payments failing", "stripe"),
    ],
)
def test_case_sensitive_aliases_match_as_written(
    catalog: EntityCatalog, text: str, expected: str
) -> None:
    assert providers(catalog, text) == (expected,)


def test_addresses_are_not_mentions(catalog: EntityCatalog) -> None:
    text = "Share: https://twitter.com/intent?u=1 https://www.facebook.com/sharer Cloudflare said"
    assert providers(catalog, text) == ("cloudflare",)


def test_title_mentions_rank_first(catalog: EntityCatalog) -> None:
    text = "AWS AWS AWS Cloudflare"
    assert providers(catalog, text, title="Cloudflare outage") == ("cloudflare", "aws")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # The provider that failed, not the one it took down, however often the body
        # names that one.
        ("Google Cloud outage takes down Spotify, Discord and Slack",
         "Discord said it was investigating. Discord later recovered.", "gcp"),
        ("谷歌云故障导致Discord、Slack等多个应用无法使用",
         "Discord称正在调查。Discord已恢复。", "gcp"),
        # ... named as the cause, even after the one it took down.
        ("Discord down due to Cloudflare outage", "Discord users. Discord said.", "cloudflare"),
        ("Microsoft 365 outage caused by Azure networking change", "Microsoft 365 users.",
         "azure"),
        # Not a past outage named as background ("a week after"): the body decides.
        ("Azure down a week after AWS outage", "Azure said. Azure again.", "azure"),
    ],
)  # fmt: skip
def test_the_provider_a_headline_says_failed_ranks_first(
    catalog: EntityCatalog, title: str, text: str, expected: str
) -> None:
    assert providers(catalog, text, title=title)[0] == expected


def test_more_mentions_rank_higher(catalog: EntityCatalog) -> None:
    assert providers(catalog, "Fastly once, then Akamai, Akamai and Akamai") == ("akamai", "fastly")


def test_ties_go_to_the_first_mention(catalog: EntityCatalog) -> None:
    assert providers(catalog, "Fastly and Akamai") == ("fastly", "akamai")
    assert providers(catalog, "Akamai and Fastly") == ("akamai", "fastly")
    # Both in the title, equal in the text: the title's order decides.
    assert providers(catalog, "Fastly, Akamai", title="Akamai and Fastly down") == (
        "akamai",
        "fastly",
    )


def test_each_alias_counts_toward_its_provider(catalog: EntityCatalog) -> None:
    # Three names of one provider outweigh two mentions of another.
    text = "Heroku, Heroku. Facebook, Instagram and WhatsApp"
    assert providers(catalog, text) == ("meta", "heroku")


# --- Regions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "elevated errors in us-east-1",
        "elevated errors in US-EAST-1",
        "elevated errors in US EAST 1",
        "elevated errors in us_east_1",
        "one zone of us-east-1a lost power",
        "US East (N. Virginia) is impaired",
        "故障集中在美国东部1区",
        "美国东部（弗吉尼亚北部）区域",
    ],
)
def test_a_code_one_provider_uses_stands_alone(catalog: EntityCatalog, text: str) -> None:
    entities = catalog.extract("", text)
    assert entities.regions == ("aws:us-east-1",)
    assert entities.providers == ()  # a region names no provider by itself


def test_codes_need_boundaries(catalog: EntityCatalog) -> None:
    assert regions(catalog, "us-east-10 and xus-east-1") == ()


def test_a_city_takes_the_region_of_the_provider_named(catalog: EntityCatalog) -> None:
    assert regions(catalog, "Azure customers in Tokyo saw errors") == ("azure:japaneast",)
    assert regions(catalog, "AWS customers in Tokyo saw errors") == ("aws:ap-northeast-1",)
    assert regions(catalog, "Google Cloud in Singapore") == ("gcp:asia-southeast1",)
    assert regions(catalog, "阿里云北京地域故障") == ("aliyun:cn-beijing",)
    assert regions(catalog, "腾讯云北京地域故障") == ("tencentcloud:ap-beijing",)
    assert regions(catalog, "华为云北京区域故障") == ("huaweicloud:cn-north-4",)


def test_a_city_goes_to_the_most_salient_provider_that_has_it(catalog: EntityCatalog) -> None:
    entities = catalog.extract("Azure outage", "Azure and AWS both run in Tokyo")
    assert entities.regions == ("azure:japaneast",)
    # Slack has no regions, so the city falls to the next provider.
    entities = catalog.extract("Slack outage", "Slack blamed AWS in Northern Virginia")
    assert entities.providers == ("slack", "aws")
    assert entities.regions == ("aws:us-east-1",)


def test_a_city_without_a_provider_that_has_it_is_dropped(catalog: EntityCatalog) -> None:
    assert regions(catalog, "Users in Tokyo and 北京 complained") == ()
    assert regions(catalog, "Slack users in Tokyo complained") == ()
    assert regions(catalog, "Fastly had trouble in Frankfurt") == ()


@pytest.mark.parametrize(
    "area",
    ["Southeast Asia", "East Asia", "South India", "Central India", "West India", "Central US"],
)
def test_an_area_that_is_also_an_azure_region_name_needs_azure_named(
    catalog: EntityCatalog, area: str
) -> None:
    # A game's players "in Korea, Taiwan and Southeast Asia" are no Azure region; an
    # Azure story's "Southeast Asia" is.
    assert regions(catalog, f"Players in Korea and {area} could not log in") == ()
    assert len(regions(catalog, f"Azure customers in {area} saw errors")) == 1


def test_a_place_name_inside_a_longer_word_is_not_the_place(catalog: EntityCatalog) -> None:
    # 都柏林 (Dublin) contains 柏林 (Berlin).
    assert regions(catalog, "谷歌云和亚马逊云在都柏林") == ("aws:eu-west-1",)


def test_a_shared_code_goes_to_the_provider_named(catalog: EntityCatalog) -> None:
    assert regions(catalog, "阿里云 ap-southeast-1 故障") == ("aliyun:ap-southeast-1",)
    assert regions(catalog, "华为云 ap-southeast-1 故障") == ("huaweicloud:ap-southeast-1",)


def test_a_shared_code_without_a_provider_goes_to_the_preferred_region(
    catalog: EntityCatalog,
) -> None:
    assert regions(catalog, "ap-southeast-1 is degraded") == ("aws:ap-southeast-1",)


def test_a_shared_code_nobody_prefers_is_dropped_without_a_provider(
    catalog: EntityCatalog,
) -> None:
    # me-east-1 is both Alibaba Cloud (Dubai) and Huawei Cloud (Riyadh).
    assert regions(catalog, "me-east-1 is degraded") == ()
    assert regions(catalog, "华为云 me-east-1 故障") == ("huaweicloud:me-east-1",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("华东1（杭州）地域出现故障", ("aliyun:cn-hangzhou",)),
        ("华东1(杭州)地域出现故障", ("aliyun:cn-hangzhou",)),
        ("华东 1 （杭州）地域出现故障", ("aliyun:cn-hangzhou",)),
        ("华北-北京四可用区异常", ("huaweicloud:cn-north-4",)),
        ("亚马逊云科技美国东部1区故障，数据中心位于弗吉尼亚北部", ("aws:us-east-1",)),
        ("弗吉尼亚北部的数据中心", ()),  # a place with no provider named
        ("Azure 在美国东部时间周二出现故障", ()),  # a time zone, not the region
        ("Azure 美国东部区域故障", ("azure:eastus",)),
    ],
)
def test_chinese_region_names(catalog: EntityCatalog, text: str, expected: tuple[str, ...]) -> None:
    assert regions(catalog, text) == expected


def test_regions_rank_by_salience(catalog: EntityCatalog) -> None:
    text = "us-west-2 briefly, then us-east-1, us-east-1 and us-east-1 again"
    assert regions(catalog, text) == ("aws:us-east-1", "aws:us-west-2")
    assert regions(catalog, text, title="Trouble in us-west-2") == (
        "aws:us-west-2",
        "aws:us-east-1",
    )


def test_azure_display_names_are_case_sensitive(catalog: EntityCatalog) -> None:
    assert regions(catalog, "Resources in East US were affected") == ("azure:eastus",)
    assert regions(catalog, "storms across the central US") == ()


# --- Affected brands ------------------------------------------------------------------


def test_affected_lists_brands_in_order_of_first_mention(catalog: EntityCatalog) -> None:
    entities = catalog.extract(
        "AWS outage", "Netflix, Disney+ and Slack failed; Netflix recovered before Coinbase."
    )
    assert entities.affected == ("Netflix", "Disney+", "Slack", "Coinbase")


def test_affected_leaves_out_the_subjects_own_brands(catalog: EntityCatalog) -> None:
    assert "Slack" not in catalog.extract("Slack is down", "Slack messages fail").affected
    meta = catalog.extract("Facebook outage", "Instagram, WhatsApp and Messenger were down")
    assert meta.providers[0] == "meta"
    assert meta.affected == ()
    # The same brands are casualties when the subject is someone else.
    cloudflare = catalog.extract("Cloudflare outage", "Instagram and Slack were down")
    assert cloudflare.affected == ("Instagram", "Slack")


def test_affected_brands_in_chinese(catalog: EntityCatalog) -> None:
    entities = catalog.extract("阿里云故障", "钉钉、淘宝和闲鱼无法访问，奈飞（Netflix）不受影响")
    assert entities.affected == ("钉钉", "淘宝", "闲鱼", "Netflix")


def test_the_united_arab_emirates_is_no_airline(catalog: EntityCatalog) -> None:
    assert catalog.extract("Outage hits banks in the United Arab Emirates", "").affected == ()


# --- Queries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aws", "aws"),
        ("AWS", "aws"),
        (" Amazon Web Services ", "aws"),
        ("亚马逊云", "aws"),
        ("ＡＷＳ", "aws"),
        ("阿里云", "aliyun"),
        ("Alibaba Cloud", "aliyun"),
        ("slack", "slack"),  # a case-sensitive alias, but a query is not prose
        ("Meta", "meta"),
        ("fly-io", "fly-io"),
        ("Fly.io", "fly-io"),
        ("nothing like a provider", None),
        ("", None),
    ],
)
def test_find_provider(catalog: EntityCatalog, query: str, expected: str | None) -> None:
    assert catalog.find_provider(query) == expected


def test_names_and_labels(catalog: EntityCatalog) -> None:
    assert catalog.provider_name("aws") == "AWS"
    assert catalog.region_label("aws:us-east-1") == "us-east-1"
    assert catalog.region_label("aliyun:cn-hangzhou") == "cn-hangzhou"
    with pytest.raises(KeyError):
        catalog.provider_name("no-such-provider")
    with pytest.raises(KeyError):
        catalog.region_label("aws:mars-1")


def test_catalogue_size(catalog: EntityCatalog) -> None:
    ids = catalog.provider_ids()
    assert len(ids) >= 45
    assert {"aws", "azure", "gcp", "aliyun", "tencentcloud", "huaweicloud", "meta"} <= ids
    assert len(catalog.services) >= 70
    assert {region.provider for region in catalog.regions.values()} <= ids


def test_the_packaged_catalogue_is_read_once() -> None:
    assert EntityCatalog.load() is EntityCatalog.load()


# --- Validation -----------------------------------------------------------------------


def table(key: str, **fields: object) -> str:
    """One TOML table; JSON spells strings, lists and booleans the way TOML does."""
    lines = [f'["{key}"]'] + [
        f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()
    ]
    return "\n".join(lines) + "\n"


_AWS = table("aws", name="Amazon Web Services", kind="cloud", aliases=["AWS", "亚马逊云"])
_US_EAST_1 = table("aws:us-east-1", code="us-east-1", provider="aws", aliases=["美国东部1区"])
_NETFLIX = table("netflix", name="Netflix", aliases=["Netflix"])


def write_catalogue(
    directory: Path, providers: str = _AWS, regions: str = _US_EAST_1, services: str = _NETFLIX
) -> Path:
    (directory / "providers.toml").write_text(providers, encoding="utf-8")
    (directory / "regions.toml").write_text(regions, encoding="utf-8")
    (directory / "services.toml").write_text(services, encoding="utf-8")
    return directory


def test_a_small_catalogue_loads_from_a_directory(tmp_path: Path) -> None:
    catalog = EntityCatalog.load(write_catalogue(tmp_path))
    entities = catalog.extract("亚马逊云故障", "美国东部1区; Netflix down")
    assert entities == Entities(
        ("aws",),
        ("aws:us-east-1",),
        ("Netflix",),
        providers_in_lead=frozenset({"aws"}),
        affected_in_lead=frozenset({"Netflix"}),
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"providers": _AWS + 'colour = "orange"\n'},
            r"providers\.toml: \[aws\] unknown field 'colour'",
        ),
        (
            {"providers": table("aws", kind="cloud", aliases=["AWS"])},
            r"providers\.toml: \[aws\] missing field 'name'",
        ),
        (
            {"providers": _AWS + _AWS},  # the same table twice
            r"providers\.toml: not valid TOML: .*aws",
        ),
        (
            {"providers": table("aws", name="AWS", kind="cloud", aliases=[])},
            r"providers\.toml: \[aws\] has no aliases",
        ),
        (
            {"services": table("netflix", name="Netflix", aliases=["Netflix", " "])},
            r"services\.toml: \[netflix\] has an empty alias",
        ),
        (
            {"providers": _AWS + table("amazon", name="Amazon", kind="cloud", aliases=["aws"])},
            r"providers\.toml: \[amazon\] 'aws' is also an alias of \[aws\]",
        ),
        (
            {"providers": table("aws", name="AWS", kind="cloud", aliases="AWS")},
            r"providers\.toml: \[aws\] aliases: Input should be a valid list",
        ),
        (
            {"providers": table("aws", name="AWS", kind="weather", aliases=["AWS"])},
            r"providers\.toml: \[aws\] kind:",
        ),
        (
            {"regions": table("aws:us-east-1", code="us-east-2", provider="aws", aliases=["a"])},
            r"regions\.toml: \[aws:us-east-1\] the key must be aws:us-east-2",
        ),
        (
            {"regions": table("gcp:us-east1", code="us-east1", provider="gcp", aliases=["a"])},
            r"regions\.toml: \[gcp:us-east1\] unknown provider 'gcp'",
        ),
        (
            {"regions": table("aws:us-east-1", code="us-east-1", provider="aws")},
            r"regions\.toml: \[aws:us-east-1\] has no aliases",
        ),
        (
            {
                "regions": _US_EAST_1
                + table("aws:us-east-2", code="us-east-2", provider="aws", places=["美国东部1区"])
            },
            r"regions\.toml: \[aws:us-east-2\] '美国东部1区' is also an alias of \[aws:us-east-1\]",
        ),
        (
            {"providers": table("aws", name="AWS", kind="cloud", aliases=["AWS"], cloud="gcp")},
            r"providers\.toml: \[aws\] cloud 'gcp' is not a provider id",
        ),
        (
            {"services": table("netflix", name="Netflix", aliases=["Netflix"], provider="nflx")},
            r"services\.toml: \[netflix\] unknown provider 'nflx'",
        ),
        (
            {"services": 'ignore = ["Netflix"]\n' + _NETFLIX},
            r"services\.toml: \[ignore\] ignored phrase 'Netflix' is an alias of \[netflix\]",
        ),
    ],
)
def test_catalogue_errors_name_file_and_entry(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    write_catalogue(tmp_path, **files)
    with pytest.raises(ValueError, match=message):
        EntityCatalog.load(tmp_path)


def test_the_same_alias_may_name_a_provider_and_a_brand(tmp_path: Path) -> None:
    slack = {"name": "Slack", "case_sensitive_aliases": ["Slack"]}
    providers = _AWS + table("slack", kind="saas", **slack)
    services = _NETFLIX + table("slack", provider="slack", **slack)
    catalog = EntityCatalog.load(write_catalogue(tmp_path, providers=providers, services=services))
    assert catalog.extract("AWS outage", "Slack down").affected == ("Slack",)
    assert catalog.extract("Slack outage", "Slack down").affected == ()


# --- Real articles --------------------------------------------------------------------


def split_article(raw: str) -> tuple[str, str]:
    """Title and body of a corpus file: a "# " heading or a front-matter title."""
    lines = raw.splitlines()
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip(), raw
        if line.startswith("title:"):
            title = line.removeprefix("title:").strip().strip("'\"")
            return title, re.sub(r"<[^>]+>", " ", raw)  # the seed's body is HTML
    return "", raw


def corpus_files(pattern: str) -> list[Path]:
    files = sorted(corpus_dir("articles").glob(pattern))
    assert files, pattern
    return files


@pytest.mark.corpus
def test_aws_us_east_1_articles(catalog: EntityCatalog) -> None:
    for path in corpus_files("article_*_aws_us-east-1_*"):
        entities = catalog.extract(*split_article(path.read_text(encoding="utf-8")))
        assert "aws" in entities.providers, path.name
        assert "aws:us-east-1" in entities.regions, path.name


@pytest.mark.corpus
def test_cnbeta_seed_article(catalog: EntityCatalog) -> None:
    raw = (corpus_dir("seed") / "cnbeta_aws_us-east-1_2021-12-07.md").read_text(encoding="utf-8")
    entities = catalog.extract(*split_article(raw))
    assert entities.providers[0] == "aws"
    assert entities.regions == ("aws:us-east-1",)
    for brand in ("Disney+", "Netflix", "Slack", "Coinbase", "Robinhood"):
        assert brand in entities.affected


@pytest.mark.corpus
def test_crowdstrike_articles(catalog: EntityCatalog) -> None:
    for path in corpus_files("article_*_crowdstrike_*"):
        entities = catalog.extract(*split_article(path.read_text(encoding="utf-8")))
        assert entities.providers[:1] == ("crowdstrike",), path.name


@pytest.mark.corpus
def test_facebook_articles(catalog: EntityCatalog) -> None:
    for path in corpus_files("article_*_facebook_*"):
        entities = catalog.extract(*split_article(path.read_text(encoding="utf-8")))
        assert entities.providers[:1] == ("meta",), path.name
        assert "Instagram" not in entities.affected, path.name


def test_a_company_and_its_cloud_are_one_family(catalog: EntityCatalog) -> None:
    assert catalog.cloud_of("google") == "gcp"
    assert catalog.family("google") == ("gcp",) and catalog.family("gcp") == ("google",)
    assert catalog.family("azure") == ("microsoft365",)
    assert catalog.family("cloudflare") == ()


def test_a_providers_own_brands_are_found_though_not_casualties(catalog: EntityCatalog) -> None:
    title, text = "Facebook outage", "Instagram and WhatsApp went dark; users moved to Telegram."
    assert "Instagram" not in catalog.extract(title, text).affected
    assert catalog.own_brands("meta", title, text) == ("Facebook", "Instagram", "WhatsApp")
