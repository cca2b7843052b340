"""The ingest pipeline: read -> extract -> resolve -> check -> write, with workers and a journal."""

from graphkg.pipeline.ingest import *  # noqa: F403
from graphkg.pipeline.ingest import __all__  # noqa: F401
