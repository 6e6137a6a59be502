"""Score and time the quoted-source extraction on the story corpus.

    .venv/bin/python bench/sources_bench.py
    .venv/bin/python bench/sources_bench.py --rounds 50

Parses every story named in bench/sources_gold.json with
`legacy.parser.parse_bytes`, compares the sources found with the ones read
by hand, and prints per-story and total precision, recall and F1 for names
and the share of exact descriptions.  Then it times the extraction on each
story body and on long pathological paragraphs, and the parser on the
shared sample and on its pathological lines.  Not a test: the timings
depend on the machine.  Stories in the shared folder beside the project
are skipped, with a note, when it is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from legacy.parser import parse_bytes  # noqa: E402
from legacy.result import ParsedStory, Source  # noqa: E402
from legacy.sources import extract_sources  # noqa: E402

GOLD = Path(__file__).resolve().parent / "sources_gold.json"
SAMPLE = BASE_DIR.parent / "shared" / "samples" / "janaozen-cold-winds.txt"


@dataclass
class Score:
    found: int = 0  # sources the extraction returned
    gold: int = 0  # sources read by hand
    right: int = 0  # names in both
    exact: int = 0  # of those, with the gold description

    def add(self, other: Score) -> None:
        self.found += other.found
        self.gold += other.gold
        self.right += other.right
        self.exact += other.exact

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def descriptions(self) -> float:
        return self.exact / self.right if self.right else 1.0

    def row(self, label: str) -> str:
        return (
            f"{label:<40} {self.found:>5} {self.gold:>5} {self.precision:>6.3f} "
            f"{self.recall:>6.3f} {self.f1:>6.3f} {self.descriptions:>6.3f}\n"
        )


def score(found: list[Source], gold: list[dict[str, str]]) -> tuple[Score, list[str]]:
    """The score of one story, and a line for each difference from gold."""
    got = {s.name: s.description for s in found}
    want = {g["name"]: g["description"] for g in gold}
    result = Score(found=len(got), gold=len(want))
    problems: list[str] = []
    for name, description in want.items():
        if name not in got:
            problems.append(f"  missed {name!r}")
            continue
        result.right += 1
        if got[name] == description:
            result.exact += 1
        else:
            problems.append(f"  {name}: description {got[name]!r}, gold {description!r}")
    problems += [f"  not a source: {name!r}" for name in got if name not in want]
    return result, problems


def load_stories() -> list[tuple[str, ParsedStory, list[dict[str, str]]]]:
    stories = []
    for entry in json.loads(GOLD.read_text(encoding="utf-8"))["stories"]:
        path = (BASE_DIR / entry["file"]).resolve()
        if not path.exists():
            sys.stdout.write(f"note: {entry['file']} is not checked out here; skipped\n")
            continue
        stories.append((path.name, parse_bytes(path.read_bytes()), entry["sources"]))
    return stories


def report_scores(stories: list[tuple[str, ParsedStory, list[dict[str, str]]]]) -> None:
    header = (
        f"{'story':<40} {'found':>5} {'gold':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'descr':>6}\n"
    )
    sys.stdout.write(header)
    total = Score()
    details: list[str] = []
    for name, story, gold in stories:
        result, problems = score(story.sources, gold)
        total.add(result)
        sys.stdout.write(result.row(name))
        if problems:
            details += [f"{name}:", *problems]
    sys.stdout.write(total.row(f"TOTAL ({len(stories)} stories)"))
    sys.stdout.write("\n".join(details) + "\n" if details else "no differences from gold\n")


def best_of(rounds: int, call: Callable[[], object]) -> float:
    """The fastest of `rounds` calls, in seconds: the least disturbed one."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def report_timings(
    stories: list[tuple[str, ParsedStory, list[dict[str, str]]]], rounds: int
) -> None:
    from legacy.tests.test_parser_properties import PATHOLOGICAL, pathological_stories
    from legacy.tests.test_sources import LONG_PARAGRAPHS

    times = []
    for name, story, _ in stories:
        authors = [a.name for a in story.authors]
        times.append((best_of(rounds, partial(extract_sources, story.body, exclude=authors)), name))
    times.sort()
    mean = sum(t for t, _ in times) / len(times)
    sys.stdout.write(
        f"\nextraction per story body (best of {rounds}): mean {mean * 1000:.2f} ms, "
        f"slowest {times[-1][0] * 1000:.2f} ms ({times[-1][1]})\n"
    )
    worst = max((best_of(3, partial(extract_sources, [p, p])), p[:30]) for p, _ in LONG_PARAGRAPHS)
    sys.stdout.write(
        f"extraction, {len(LONG_PARAGRAPHS)} long pathological paragraphs (each twice): "
        f"worst {worst[0] * 1000:.1f} ms ({worst[1]!r}…)\n"
    )

    def no_sources(paragraphs: list[str], *, exclude: object = ()) -> list[Source]:
        return []

    if SAMPLE.exists():
        data = SAMPLE.read_bytes()
        parse = best_of(rounds, lambda: parse_bytes(data, extract_sources=no_sources))
        sys.stdout.write(f"parser on the shared sample, without sources: {parse * 1000:.2f} ms\n")
    else:
        sys.stdout.write("note: the shared sample is not checked out here; parser timing skipped\n")
    worst = max(
        (best_of(3, partial(_parse_or_error, text, no_sources)), line[:30])
        for line in PATHOLOGICAL
        for text in pathological_stories(line)
    )
    sys.stdout.write(
        f"parser, {len(PATHOLOGICAL)} pathological lines in 3 places: "
        f"worst {worst[0] * 1000:.1f} ms ({worst[1]!r}…)\n"
    )


def _parse_or_error(text: str, no_sources: Callable[..., list[Source]]) -> None:
    from legacy.parser import LegacyFormatError, parse

    try:
        parse(text, known_titles=frozenset({"aa and aa"}), extract_sources=no_sources)
    except LegacyFormatError:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="Timing rounds per story (20).")
    parser.add_argument("--no-timing", action="store_true", help="Only the scores.")
    args = parser.parse_args()
    stories = load_stories()
    report_scores(stories)
    if not args.no_timing:
        report_timings(stories, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
