"""Follow-up questions in the chat are completed from the question before (qa/answering/followup.py)."""

from __future__ import annotations

import pytest

from qa.answering.followup import complete, is_follow_up
from qa.api import ReportQA


@pytest.mark.parametrize(
    ("previous", "typed", "asked"),
    [
        ("2018年公务接待费多少", "那上年呢？", "2017年公务接待费多少？"),
        ("公务接待费多少", "那上年呢", "上年公务接待费多少？"),
        ("2018年人员经费是多少", "公用经费呢", "2018年公用经费是多少？"),
        ("青岛市政协2015年公务用车实际保有量是多少辆", "那2016年呢", "青岛市政协2016年公务用车实际保有量是多少辆？"),
        ("公务接待费决算数多少", "预算数呢？", "公务接待费预算数多少？"),
        ("出国花了多少钱", "接待呢", "接待花了多少钱？"),
        ("渝中区2017年公务接待费是多少？", "公务用车购置费呢？", "渝中区2017年公务用车购置费是多少？"),
    ],
)
def test_a_fragment_is_completed_from_the_question_before(previous: str, typed: str, asked: str) -> None:
    assert is_follow_up(typed)
    assert complete(previous, typed) == asked


@pytest.mark.parametrize("typed", ["公务接待费多少？", "那公务接待费是多少", "为什么呢", "有没有出国呢", ""])
def test_a_whole_question_is_no_follow_up(typed: str) -> None:
    assert not is_follow_up(typed)


def test_a_completed_follow_up_is_answered_as_the_whole_question(hash_qa: ReportQA) -> None:
    # the seed prints 2018's figures only: 上年 is declined, never answered with 2018's 2.97万元
    assert hash_qa.ask(complete("公务接待费多少？", "公务用车呢？")).answer == "2台"
    assert hash_qa.ask(complete("公务接待费多少？", "那上年呢？")).answer is None
    assert hash_qa.ask("上年公务接待费多少？").answer is None
