"""A report's place from the address of the page it was saved from.

Government sites are named by their place in pinyin: www.qinan.gov.cn is 秦安县's, www.psx.gov.cn
彭水县's (its initials), www.cqyz.gov.cn 重庆渝中区's and www.kmxd.gov.cn 昆明寻甸县's (the city's
initials, then the county's). A saved page whose text only says 全县 still names its place in its
`source:` line; a question naming 秦安县 is matched against the address's labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# "source: https://www.qinan.gov.cn/info/…" at the top of a saved web page
SOURCE_LINE = re.compile(r"^\s*source\s*[:：]\s*(?:https?://)?([A-Za-z0-9.-]+)", re.M)
# labels that say what kind of site it is, never where
GENERIC_LABELS = frozenset({"www", "gov", "cn", "com", "net", "org", "edu", "info", "zwgk", "xxgk", "czj", "cz"})
SUFFIX_INITIAL = {"县": "x", "区": "q", "市": "s", "旗": "q"}
HEAD_LINES = 400  # characters: the source line is the first line of a saved page


def site_labels(text: str) -> tuple[str, ...]:
    """The labels of the page address on the text's `source:` line that may name a place (qinan, psx)."""
    match = SOURCE_LINE.search(text[:HEAD_LINES])
    if not match:
        return ()
    labels = (label.lower() for label in match.group(1).split("."))
    return tuple(label for label in labels if label.isalpha() and label not in GENERIC_LABELS)


@lru_cache(maxsize=4096)
def spellings(place: str) -> tuple[frozenset[str], str]:
    """The labels a site of this place (秦安县, 渝中区) goes by: its stem in pinyin (qinan, qinanxian) or
    initials with the suffix's (qax); and the stem's initials alone (qa), which follow a city's."""
    from pypinyin import lazy_pinyin

    stem, suffix = place[:-1], place[-1:]
    syllables = lazy_pinyin(stem)
    if not stem or not all(s.isascii() and s.isalpha() for s in syllables):
        return frozenset(), ""
    full = "".join(syllables)
    with_suffix = full + "".join(lazy_pinyin(suffix))
    if len(stem) == 1:  # 寿县: only shouxian is its own; shou, sx and the like are anybody's
        return frozenset({with_suffix}), ""
    initials = "".join(s[0] for s in syllables)
    return frozenset({full, with_suffix, initials + SUFFIX_INITIAL.get(suffix, "")}), initials


def site_lookups(place: str) -> tuple[str, ...]:
    """The labels to look up for a place: its spellings, and "*xd" for any four-letter label that ends
    in the county's two initials after a city's two (kmxd = 昆明 + 寻甸)."""
    spelled, initials = spellings(place)
    return (*sorted(spelled), *(("*" + initials,) if len(initials) == 2 else ()))


def site_names(place: str, labels: Sequence[str]) -> bool:
    """True when one of a site's labels spells the place (qinan for 秦安县, kmxd for 寻甸县)."""
    wanted = set(site_lookups(place))
    return any(label in wanted or (len(label) == 4 and "*" + label[2:] in wanted) for label in labels)
