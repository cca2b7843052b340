"""The ingest pipeline: read -> extract -> resolve -> check -> write, with workers and a journal.

``run(sources, store, IngestOptions(...))`` ingests; ``extract_relations(sources, options)`` yields the
resolved triples without a store; ``ingest_items`` is the write engine both use.
"""

from graphkg.pipeline.ingest import extract_relations, ingest_items, input_file, run
from graphkg.pipeline.options import FileError, IngestOptions, IngestReport, Progress
from graphkg.resolve.link import ArticleResult, Rejected, resolve_candidates

__all__ = ["run", "extract_relations", "ingest_items", "input_file", "IngestOptions", "IngestReport", "FileError",
           "Progress", "ArticleResult", "Rejected", "resolve_candidates"]
