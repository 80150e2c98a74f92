"""reportqa: exact, traceable answers from Chinese government budget and performance reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.records import Answer, Chunk, Document, Fact, Hit, Source

if TYPE_CHECKING:
    from qa.api import ReportQA

__version__ = "0.1.0"
__all__ = ["Answer", "Chunk", "Document", "Fact", "Hit", "ReportQA", "Source", "__version__"]


def __getattr__(name: str) -> Any:
    """ReportQA is imported when first used: `reportqa serve` starts its page without the engine's
    modules (qa.interfaces.worker loads them in the answering process)."""
    if name == "ReportQA":
        from qa.api import ReportQA

        return ReportQA
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
