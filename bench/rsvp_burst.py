"""Benchmark RSVP by reaction: 5,000 reactions on one announcement, every process apart.

The sandbox runs in its own process and writes the burst of MESSAGE_REACTION_ADD frames,
pre-encoded, in one socket write. Measured against the same burst: a raw-socket reader
(which only splits frames: the sandbox's share), a bare discord.py client (which counts
the events) and `gugbot run` (until every RSVP row is committed), with /about acks timed
while the burst runs. Prints JSON with each goal and its measured ratio.

    .venv/bin/python -m bench.rsvp_burst [--count 5000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from typing import Any

from bench.footprint import measure_bare, measure_gugbot, warm_gazetteer
from bench.raw_reader import drain


def run(count: int, rounds: int) -> dict[str, Any]:
    """Alternate the three readers on the same burst; report medians and goals."""
    warm_gazetteer(None)
    raw, bare, ours = [], [], []
    for _ in range(rounds):
        raw.append(drain(count)["raw_reader_s"])
        bare.append(measure_bare(count)["burst_s"])
        ours.append(measure_gugbot(count, None, large=False, probe=True))
    raw_s, bare_s = statistics.median(raw), statistics.median(bare)
    median = sorted(ours, key=lambda round_: round_["burst_s"])[len(ours) // 2]
    ratio = bare_s / median["burst_s"]
    window = median["burst_s"] + 5.0
    return {
        "events": count, "rounds": rounds,
        "raw_reader_s": raw_s, "bare_client_s": bare_s, "gugbot_commit_all_s": median["burst_s"],
        "gugbot_burst_cpu_s": median["burst_cpu_s"],
        "goals": {
            "raw_reader_faster_than_bare>=10x": {
                "value": round(bare_s / raw_s, 1), "met": bare_s / raw_s >= 10},
            "commit_rate_vs_bare>=0.8": {"value": round(ratio, 2), "met": ratio >= 0.8},
            "rows_lost==0": {"value": median["rows_lost"], "met": median["rows_lost"] == 0},
            "edits_per_5s<=1": {
                "value": median["announcement_edits"], "window_s": round(window, 1),
                "met": median["announcement_edits"] <= math.ceil(window / 5)},
            "ack_p99_ms<=100": {
                "value": median["ack_p99_ms"], "p50_ms": median["ack_p50_ms"],
                "samples": median["ack_samples"], "met": median["ack_p99_ms"] <= 100},
        },
        "raw_reader_s_all": raw, "bare_client_s_all": bare,
        "gugbot_commit_all_s_all": [r["burst_s"] for r in ours],
    }


def main() -> None:
    """Parse arguments, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.count, args.rounds), indent=2))


if __name__ == "__main__":
    main()
