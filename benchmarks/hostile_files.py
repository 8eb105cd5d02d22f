"""What refusing a hostile or oversized file costs: time and peak memory for each.

    python benchmarks/hostile_files.py

Builds each file in memory (a Word file whose zip directory understates a 1.8 GB part, a zip
bomb, a Word file of 50,000 tiny paragraphs, a 20 MB web page of short paragraphs, a billion
laughs TMX) and prints how long reading it took, its peak memory (tracemalloc), and what the
person is told.
"""

import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx

from tests.zip_tricks import understated
from workflow.errors import InputError
from workflow.formats import STORY_FORMATS, TmxFormat

DOCX = STORY_FORMATS["docx"]


def word_with(extra: dict[str, bytes]) -> bytes:
    document = docx.Document()
    document.add_heading("Floods close the highway", level=1)
    out = io.BytesIO()
    document.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        for name, data in extra.items():
            archive.writestr(name, data)
    return packed.getvalue()


def tiny_paragraphs(count: int) -> bytes:
    document = docx.Document()
    for n in range(count):
        document.add_paragraph(str(n))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY l0 "lol">{entities}]>'
        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&l9;</seg></tuv></tu></body></tmx>'
    ).encode()


def main() -> None:
    big = b"\x00" * (1850 * 1024 * 1024)
    lying_zip = understated(word_with({"word/media/image1.png": big}), "word/media/image1.png")
    del big
    paragraphs = "".join(f"<p>Short paragraph {n}.</p>" for n in range(700_000))
    page = f"<html><body><article><h1>A</h1>{paragraphs}</article></body></html>".encode()
    cases = {
        "lying zip (1.85 GB inside)": (DOCX, lying_zip),
        "zip bomb (150 MB inside)": (DOCX, word_with({"word/media/a.bin": b" " * 150_000_000})),
        "Word, 50,004 tiny paragraphs": (DOCX, tiny_paragraphs(50_004)),
        "web page, 20 MB of paragraphs": (STORY_FORMATS["html"], page[: 20 * 1024 * 1024]),
        "TMX, billion laughs": (TmxFormat, laughs()),
    }
    for name, (fmt, data) in cases.items():
        tracemalloc.start()
        started = time.perf_counter()
        try:
            fmt.read(data)
            said = "read (not refused)"
        except InputError as refused:
            said = str(refused)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{name}: {len(data) / 1_048_576:.1f} MB file, {took:.2f} s, peak {peak / 1e6:.0f} MB"
        )
        print(f"  {said}")


if __name__ == "__main__":
    main()
