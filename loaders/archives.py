"""gzip and zip archives: open their members as capped streams, refusing zip bombs.

Every limit is checked twice: first on what the archive *declares* (zip member sizes and
compression ratios, the gzip ISIZE trailer), before anything is decompressed; then while
streaming, through :class:`CappedStream`, because headers can lie. Nested archives are refused.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from graphkg.errors import LoaderError

__all__ = [
    "ARCHIVE_SUFFIXES",
    "MAX_RATIO",
    "ArchiveReader",
    "CappedStream",
    "is_archive",
    "members",
]

ARCHIVE_SUFFIXES = (".gz", ".zip")
MAX_RATIO = 200          # text compresses 3-15x; 200:1 is a bomb, not a news dump
_RATIO_FLOOR = 1024 * 1024  # ratios are only checked on members larger than this


def is_archive(name: str) -> bool:
    """True when ``name`` ends with a suffix :func:`members` reads.

    >>> is_archive("dump.jsonl.gz"), is_archive("a.ZIP"), is_archive("a.txt")
    (True, True, False)
    """
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _corruption(exc: BaseException) -> str:
    """What is wrong with a compressed stream, in words rather than zlib's error numbers.

    >>> _corruption(zlib.error("Error -3 while decompressing data: invalid bit length repeat"))
    'invalid deflate stream'
    """
    text = str(exc)
    if isinstance(exc, zlib.error):
        return "invalid deflate stream"
    if "CRC" in text:
        return "bad CRC-32"
    if isinstance(exc, EOFError) or "end-of-stream" in text or "ended before" in text:
        return "truncated"
    return text[:80] or type(exc).__name__


class CappedStream(io.RawIOBase):
    """A read-only stream that raises :class:`LoaderError` once more than ``limit`` bytes came out,
    or when the compressed data turns out corrupt (bad CRC, invalid deflate data, truncation)."""

    def __init__(self, inner: BinaryIO, limit: int, source: str) -> None:
        super().__init__()
        self._inner, self._limit, self._source, self._seen = inner, limit, source, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(len(view))
        except (zlib.error, zipfile.BadZipFile, EOFError, OSError) as exc:  # gzip.BadGzipFile is an OSError
            raise LoaderError(self._source, f"corrupt compressed data ({_corruption(exc)}); "
                                            "rest of the member skipped") from None
        self._seen += len(data)
        if self._seen > self._limit:
            raise LoaderError(self._source, f"decompressed data exceeds the {_mb(self._limit)} limit "
                                            "(zip bomb?); raise --max-unpacked")
        view[:len(data)] = data
        return len(data)


class ArchiveReader:
    """The gzip and zip archive formats (an :class:`~graphkg.plugins.Unpacker` plugin)."""

    name = "archive"
    suffixes: tuple[str, ...] = ARCHIVE_SUFFIXES

    def members(self, path: str, *, max_unpacked: int) -> Iterator[tuple[str, BinaryIO] | LoaderError]:
        """See :func:`members`."""
        return members(path, max_unpacked=max_unpacked)


def members(path: str, *, max_unpacked: int) -> Iterator[tuple[str, BinaryIO] | LoaderError]:
    """Members of a gzip or zip archive as ``(name, stream)``; problems as :class:`LoaderError`.

    Names are ``archive.zip!inner/name.jsonl`` or ``dump.jsonl.gz!dump.jsonl``. A
    stream is only valid until the next item is requested.
    """
    if path.lower().endswith(".gz"):
        yield from _gzip_member(path, max_unpacked)
    else:
        yield from _zip_members(path, max_unpacked)


def _gzip_member(path: str, limit: int) -> Iterator[tuple[str, BinaryIO] | LoaderError]:
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as raw:
            if raw.read(2) != b"\x1f\x8b":
                yield LoaderError(path, "not a gzip file (bad magic number)")
                return
            raw.seek(max(size - 4, 0))
            declared = struct.unpack("<I", raw.read(4).rjust(4, b"\0"))[0]  # size mod 2**32
            if declared > limit:
                yield LoaderError(path, f"declares {_mb(declared)} once decompressed, over the "
                                        f"{_mb(limit)} limit (a zip bomb, or a cut file whose size trailer is "
                                        "garbage); raise --max-unpacked")
                return
            if size > _RATIO_FLOOR // MAX_RATIO and declared > max(size, 1) * MAX_RATIO:
                yield LoaderError(path, f"compression ratio {declared // max(size, 1)}:1 looks like a "
                                        "zip bomb; refused")
                return
            raw.seek(0)
            inner = f"{path}!{os.path.basename(path[:-3])}"
            if is_archive(inner):
                yield LoaderError(path, "nested archives are not read; unpack the outer one first")
                return
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
                yield inner, io.BufferedReader(CappedStream(gz, limit, inner))  # type: ignore[arg-type]
    except PermissionError:
        yield LoaderError(path, "permission denied")
    except OSError as exc:  # gzip.BadGzipFile, EOFError-like truncation surfaces as OSError
        yield LoaderError(path, f"cannot read gzip archive ({exc})")


def _zip_members(path: str, limit: int) -> Iterator[tuple[str, BinaryIO] | LoaderError]:
    try:
        archive = zipfile.ZipFile(path)
    except PermissionError:
        yield LoaderError(path, "permission denied")
        return
    except (zipfile.BadZipFile, OSError) as exc:
        yield LoaderError(path, f"not a readable zip archive ({exc})")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not _skipped(i.filename)]
        total = sum(i.file_size for i in infos)
        if total > limit:
            yield LoaderError(path, f"declares {_mb(total)} once decompressed, over the {_mb(limit)} "
                                    "limit (zip bomb?); raise --max-unpacked")
            return
        for info in infos:
            name = f"{path}!{info.filename}"
            if info.file_size > _RATIO_FLOOR and info.file_size > max(info.compress_size, 1) * MAX_RATIO:
                ratio = info.file_size // max(info.compress_size, 1)
                yield LoaderError(name, f"compression ratio {ratio}:1 looks like a zip bomb; refused")
                continue
            if is_archive(info.filename):
                yield LoaderError(name, "nested archives are not read; unpack the outer one first")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):  # its "text" would be the path it points to
                yield LoaderError(name, "symbolic link inside the archive; skipped")
                continue
            try:
                with archive.open(info) as member:
                    yield name, io.BufferedReader(CappedStream(member, limit, name))  # type: ignore[arg-type]
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # RuntimeError: encrypted
                yield LoaderError(name, f"cannot read zip member ({exc})")


def _skipped(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base.startswith(".") or name.startswith("__MACOSX/")
