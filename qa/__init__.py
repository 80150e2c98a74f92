"""reportqa: exact, traceable answers from Chinese government budget and performance reports."""

from .api import ReportQA
from .records import Answer, Chunk, Document, Fact, Hit, Source

__version__ = "0.1.0"
__all__ = ["Answer", "Chunk", "Document", "Fact", "Hit", "ReportQA", "Source", "__version__"]
