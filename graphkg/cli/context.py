"""What every command gets from the root group (``--home``, ``--store``, ``-v``, ``-q``)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import click

from graphkg.errors import MAX_REASON, printable
from graphkg.plugins import Store

__all__ = ["CliContext", "output_file", "check_output", "error_line", "FORCE", "STDOUT"]


@dataclasses.dataclass
class CliContext:
    """The global options, and the one way commands open the store."""

    home: Path
    store_name: str
    verbose: int
    quiet: bool

    def open(self, **options: object) -> Store:
        """Open the chosen store on the data directory (``options`` go to the store's ``open``)."""
        from graphkg.stores import open_store

        return open_store(self.store_name, home=self.home, **options)

    def info(self, msg: str) -> None:
        """A progress or summary line on standard error (silent with ``-q``)."""
        if not self.quiet:
            click.echo(msg, err=True)


def error_line(source: str, reason: str) -> str:
    r"""The one line an item's failure gets: ``error: <source>: <reason>``, the source escaped
    (a newline or undecodable bytes in a file name cannot forge or break a line) and the
    reason cut to :data:`~graphkg.errors.MAX_REASON` characters.

    >>> error_line("in/a\nb.txt", "empty file")
    'error: in/a\\nb.txt: empty file'
    """
    return f"error: {printable(source)}: {printable(reason, MAX_REASON)}"


STDOUT = Path("-")  # ``-o -``: standard output
FORCE = click.option("--force", is_flag=True, help="Replace the output file when it exists.")


def check_output(path: Path, force: bool = False) -> None:
    """Refuse, as a usage error in one line, an output path whose folder is missing, that is a
    folder, or that exists (unless ``force``); before any work is done."""
    if path == STDOUT:
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise click.UsageError(f"cannot write {path}: the folder {parent} does not exist")
    if path.is_dir():
        raise click.UsageError(f"cannot write {path}: it is a folder")
    if os.path.lexists(path) and not force:
        raise click.UsageError(f"{path} exists; pass --force to replace it (or -o - for standard output)")


@contextmanager
def output_file(path: Path, force: bool = False) -> Iterator[IO[bytes]]:
    """Write ``path`` atomically and safely: a fresh temporary file (O_EXCL, random name, never
    a planted symlink) in the same folder, renamed over ``path`` once written whole (a link at
    ``path`` is replaced, never followed). An existing file is replaced only with ``force``;
    ``-o -`` writes to standard output. A missing folder, a folder, or an existing file without
    ``force`` is a usage error (:func:`check_output`), not a traceback.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with output_file(d / "a.txt") as fh:
    ...     _ = fh.write(b"done")
    >>> (d / "a.txt").read_bytes(), sorted(p.name for p in d.iterdir())
    (b'done', ['a.txt'])
    """
    import sys
    import tempfile

    check_output(path, force)
    if path == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists() and not path.is_file():  # --force on /dev/stdout, a FIFO: write into it
        with _opened(path, lambda: open(path, "wb")) as fh:
            yield fh
        return
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    with _opened(path, lambda: tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)) as made:
        fd, tmp = made
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600; the file gets the mode it had, or the usual one
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@contextmanager
def _opened(path: Path, make: Any) -> Iterator[Any]:
    """``make()`` with an OS error (a read-only folder, no space) as one line, not a traceback."""
    try:
        made = make()
    except OSError as err:
        raise click.FileError(str(path), err.strerror or str(err)) from None
    if hasattr(made, "__enter__"):
        with made:
            yield made
    else:
        yield made


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
