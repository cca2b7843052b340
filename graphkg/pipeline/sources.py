"""Sources: files, directories, archives and standard input, read into articles by the
registered reader plugins.

:func:`read_sources` never raises for a bad file: it yields a :class:`~graphkg.errors.LoaderError`
naming the file and a one-line reason in its place, so one broken page never stops a batch.
Readers and archive formats (:class:`~graphkg.plugins.Unpacker`) come from the ``graphkg.readers``
entry-point group; a plugin that fails to load is reported in :attr:`ReaderSet.failures`.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from graphkg.errors import LoaderError
from graphkg.model import Article
from graphkg.pipeline.options import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNPACKED
from graphkg.plugins import (ConfigurableReader, PluginFailure, Reader, Registry, StreamingReader, Unpacker,
                             registry)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED",
    "STDIN",
    "ReaderSet",
    "load_readers",
    "iter_sources",
    "read_sources",
]

STDIN = "-"


@dataclass(frozen=True, slots=True)
class ReaderSet:
    """The readers and archive formats of a run, and the plugins that failed to load."""

    readers: tuple[Reader, ...]
    unpackers: tuple[Unpacker, ...] = ()
    failures: tuple[PluginFailure, ...] = ()

    def configure(self, fields: Sequence[str]) -> ReaderSet:
        """The same set with ``role=name`` field specs (``--field text=body``) given to every reader
        that takes them.

        Raises:
            LoaderError: a reader refuses a spec (unknown role, malformed).
        """
        if not fields:
            return self
        readers = tuple(r.configure(fields) if isinstance(r, ConfigurableReader) else r for r in self.readers)
        return ReaderSet(readers, self.unpackers, self.failures)


def load_readers(reg: Registry | None = None) -> ReaderSet:
    """Every reader and archive format registered in ``graphkg.readers``, by entry-point name.

    The first reader claiming a suffix wins. A plugin that fails to load, or that is neither a
    reader nor an archive format, is listed in ``failures`` (never skipped in silence).
    """
    loaded, failures = (reg or registry()).load_all("readers")
    readers: list[Reader] = []
    unpackers: list[Unpacker] = []
    failed = list(failures)
    for name, obj in loaded:
        try:
            plugin = obj() if isinstance(obj, type) else obj
        except Exception as err:  # a plugin's constructor: report it like a failed import
            failed.append(PluginFailure("graphkg.readers", name, type(obj).__name__,
                                        f"reader plugin {name!r} failed to start: {type(err).__name__}: {err}"))
            continue
        if isinstance(plugin, Unpacker):
            unpackers.append(plugin)
        elif isinstance(plugin, Reader):
            readers.append(plugin)
        else:
            failed.append(PluginFailure("graphkg.readers", name, type(plugin).__name__,
                                        f"reader plugin {name!r} is not a reader (no name, suffixes and read())"))
    return ReaderSet(tuple(readers), tuple(unpackers), tuple(failed))


def _hidden(name: str) -> bool:
    return name.startswith(".")


_LINK_HINT = "use --follow-symlinks"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: str, recursive: bool, follow: bool) -> Iterator[str | LoaderError]:
    """The files under ``root``: sorted, a folder's files before its sub-folders, hidden names
    skipped. A symbolic link whose target lies outside ``root`` is refused (an article tree must
    not read ``/etc/passwd``) unless ``follow``; a linked folder is walked only with ``follow``
    (once: links that loop are not walked again); a folder that cannot be listed is reported."""
    real_root = os.path.realpath(root)
    seen: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted((e for e in it if not _hidden(e.name)), key=lambda e: e.name)
        except PermissionError:
            yield LoaderError(folder, "permission denied; folder skipped")
            continue
        except OSError as exc:
            yield LoaderError(folder, f"cannot list folder ({exc.strerror or exc}); skipped")
            continue
        subfolders: list[str] = []
        for e in entries:
            path = os.path.join(folder, e.name)
            link = e.is_symlink()
            target = os.path.realpath(path) if link else ""
            try:
                is_dir = e.is_dir()  # follows a link
            except OSError:
                is_dir = False
            if link and not follow and os.path.exists(path) and not _inside(target, real_root):
                what = "folder" if is_dir else "file"
                yield LoaderError(path, f"link to a {what} out of the folder given ({target}); skipped, {_LINK_HINT}")
                continue
            if is_dir:
                if recursive and (follow or not link):
                    subfolders.append(path)
                continue
            yield path
        stack.extend(reversed(subfolders))


def iter_sources(paths: Sequence[str], *, recursive: bool = True,
                 follow_symlinks: bool = False) -> Iterator[str | LoaderError]:
    """Expand paths into files: directories walked in sorted order (a directory's files before
    its sub-directories), hidden files and directories skipped. What a walk cannot or must not
    read comes as a :class:`LoaderError` in its place (a folder that cannot be listed, a link
    out of the given folder unless ``follow_symlinks``); a path named on the command line is
    read even when it is a link.

    ``"-"`` stands for standard input and is passed through.

    Raises:
        LoaderError: a given path does not exist (checked for all paths before yielding).
    """
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            raise LoaderError(path, "no such file or directory")
    return _expand(list(paths), recursive, follow_symlinks)


def _expand(paths: list[str], recursive: bool, follow: bool) -> Iterator[str | LoaderError]:
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path, recursive, follow)
        else:
            yield path


def _special_file(path: str) -> str | None:
    """What ``path`` is when it is not a regular file or a directory (a FIFO, a socket, a
    device), else ``None`` (missing files are reported by the reader that opens them)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")


def _size(n: int) -> str:
    """Human size: ``_size(20 * 2**20) == '20.0 MB'``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _too_big(source: str, size: int | None, max_bytes: int) -> LoaderError:
    what = f"file is {_size(size)}," if size is not None else "input is"
    return LoaderError(source, f"{what} over the {_size(max_bytes)} limit; raise --max-bytes")


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise _too_big(path, size, max_bytes)
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except PermissionError as exc:
        raise LoaderError(path, "permission denied") from exc
    except IsADirectoryError as exc:
        raise LoaderError(path, "is a directory") from exc
    except OSError as exc:
        raise LoaderError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:  # the file grew after stat
        raise _too_big(path, len(data), max_bytes)
    return data


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or bool(
        re.search(rb"<(?:html|head|body|article|p|div)[\s>]", head))


def _run(reader: Reader, data: bytes, source: str) -> Iterator[Article | LoaderError]:
    try:
        result = reader.read(data, source)
        items: list[Article | LoaderError] = [result] if isinstance(result, Article) else list(result)
    except LoaderError as exc:
        yield exc
        return
    except Exception as exc:  # third-party readers: report, never stop the batch
        yield LoaderError(source, f"reader {reader.name!r} failed ({type(exc).__name__}: {exc})")
        return
    yield from items


def read_sources(paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 stdin: BinaryIO | None = None, recursive: bool = True,
                 readers: ReaderSet | Sequence[Reader | Unpacker] | None = None,
                 max_unpacked: int = DEFAULT_MAX_UNPACKED,
                 follow_symlinks: bool = False) -> Iterator[Article | LoaderError]:
    """Read every source into articles; a bad file yields a :class:`LoaderError` in its place.

    Args:
        paths: files, directories (walked) or ``"-"`` for standard input (HTML or text, sniffed).
        max_bytes: files larger than this are refused without being read; for streaming readers
            (dumps, GDELT), the limit of one line or record instead.
        stdin: the stream for ``"-"`` (default ``sys.stdin.buffer``).
        recursive: walk sub-directories.
        readers: readers (and archive formats) to use instead of the registered ones.
        max_unpacked: decompressed bytes allowed per ``.gz``/``.zip`` archive.
        follow_symlinks: read links (and walk linked folders) that lead out of a given folder.

    Returns:
        An iterator with one item per file (several for readers of multi-article files).

    Raises:
        LoaderError: a given path does not exist (before anything is read).
    """
    sources = iter_sources(paths, recursive=recursive, follow_symlinks=follow_symlinks)
    found = load_readers() if readers is None else readers
    if not isinstance(found, ReaderSet):
        found = ReaderSet(tuple(r for r in found if not isinstance(r, Unpacker)),
                          tuple(r for r in found if isinstance(r, Unpacker)))
    return _Dispatch(found, max_bytes, max_unpacked).read_all(sources, stdin)


class _Dispatch:
    """Sends each source to the reader (or archive format) of its suffix."""

    def __init__(self, readers: ReaderSet, max_bytes: int, max_unpacked: int) -> None:
        self.table: dict[str, Reader] = {}
        for reader in readers.readers:
            for suffix in reader.suffixes:
                self.table.setdefault(suffix.lower(), reader)
        self.unpackers = readers.unpackers
        self.max_bytes, self.max_unpacked = max_bytes, max_unpacked

    def unpacker(self, name: str) -> Unpacker | None:
        lower = name.lower()
        return next((u for u in self.unpackers if lower.endswith(tuple(u.suffixes))), None)

    def match(self, source: str) -> Reader | LoaderError:
        lower = source.lower()
        match = max((s for s in self.table if lower.endswith(s)), key=len, default=None)
        if match is None:
            suffix = Path(source).suffix
            shown = repr(suffix) if suffix else "(no extension)"
            archives = " / ".join(s for u in self.unpackers for s in u.suffixes)
            known = sorted(self.table)
            listed = " ".join(known) if len(known) <= 20 else " ".join(known[:20]) + " ... (`graphkg plugins` lists all)"
            return LoaderError(source, f"unsupported file type {shown}; expected one of {listed}"
                                       + (f", or {archives} archives of them" if archives else ""))
        return self.table[match]

    def read_all(self, sources: Iterator[str | LoaderError], stdin: BinaryIO | None) -> Iterator[Article | LoaderError]:
        for source in sources:
            if isinstance(source, LoaderError):
                yield source
                continue
            if source == STDIN:
                yield from self._stdin(stdin if stdin is not None else sys.stdin.buffer)
                continue
            special = _special_file(source)
            if special is not None:  # reading a FIFO would wait forever
                yield LoaderError(source, f"not a regular file ({special}); skipped")
                continue
            unpacker = self.unpacker(source)
            if unpacker is not None:
                yield from self._archive(unpacker, source)
                continue
            found = self.match(source)
            if isinstance(found, LoaderError):
                yield found
                continue
            yield from self._open_one(found, source)

    def _stdin(self, stream: IO[bytes]) -> Iterator[Article | LoaderError]:
        data = stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            yield _too_big("<stdin>", None, self.max_bytes)
            return
        reader = self.table.get(".html" if _looks_like_html(data) else ".txt")
        if reader is None:
            yield LoaderError("<stdin>", "no reader for standard input")
            return
        yield from _run(reader, data, "<stdin>")

    def _open_one(self, reader: Reader, source: str) -> Iterator[Article | LoaderError]:
        if not isinstance(reader, StreamingReader):
            try:
                data = _read_file(source, self.max_bytes)
            except LoaderError as exc:
                yield exc
                return
            yield from _run(reader, data, source)
            return
        try:
            fh = open(source, "rb")
        except PermissionError:
            yield LoaderError(source, "permission denied")
            return
        except IsADirectoryError:
            yield LoaderError(source, "is a directory")
            return
        except OSError as exc:
            yield LoaderError(source, f"cannot read file ({exc.strerror or exc})")
            return
        with fh:
            yield from _stream(reader, fh, source, self.max_bytes)

    def _archive(self, unpacker: Unpacker, source: str) -> Iterator[Article | LoaderError]:
        for member in unpacker.members(source, max_unpacked=self.max_unpacked):
            if isinstance(member, LoaderError):
                yield member
                continue
            name, fh = member
            reader = self.match(name)
            if isinstance(reader, LoaderError):
                yield reader
                continue
            if isinstance(reader, StreamingReader):
                yield from _stream(reader, fh, name, self.max_bytes)
                continue
            try:
                data = fh.read(self.max_bytes + 1)
            except (LoaderError, OSError, EOFError) as exc:
                yield exc if isinstance(exc, LoaderError) else LoaderError(name, f"cannot read ({exc})")
                continue
            if len(data) > self.max_bytes:
                yield _too_big(name, None, self.max_bytes)
                continue
            yield from _run(reader, data, name)


def _stream(reader: StreamingReader, fh: IO[bytes], source: str,
            max_bytes: int) -> Iterator[Article | LoaderError]:
    """Run a streaming reader; a failure mid-stream becomes an error item after what was read."""
    try:
        yield from reader.stream(fh, source, max_bytes=max_bytes)
    except LoaderError as exc:
        yield exc
    except (OSError, EOFError) as exc:  # truncated or corrupt archive member, I/O error
        yield LoaderError(source, f"cannot read ({type(exc).__name__}: {exc})")
    except Exception as exc:  # third-party readers: report, never stop the batch
        yield LoaderError(source, f"reader {reader.name!r} failed ({type(exc).__name__}: {exc})")
