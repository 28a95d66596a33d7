"""What binding a declaration to a 200 kB text adds to `tospolicy check`.

    .venv/bin/python benchmarks/binding.py [--repeat 9] [--text PATH]

Two commands run alternately (A B A B …, after a warm-up each), and the
median wall time of each is reported with their ratio: `check --no-cache`
of examples/notes-app.tos, and of the same declaration bound (`text:`,
with one quote) to a 200 kB Markdown privacy policy. The text is Meta's
June 2024 privacy policy from the shared reference data
(`../shared/peers/terms/facebook-privacy-en/2024-06-26.md`, 211 kB), or any
`--text`. `--no-cache` turns off the result cache only: the packs, the
text's blocks and its topics come from their caches after the warm-up, as
in a pre-commit hook or an editor. `--cold` empties the cache folder before
every run instead (a CI job without a cache).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEXT = next((folder / "peers/terms/facebook-privacy-en/2024-06-26.md"
             for folder in (REPO.parent / "shared", REPO.parent.parent / "shared")
             if (folder / "peers/terms").is_dir()), None)


def _run(folder: Path, name: str, env: dict) -> float:
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "tospolicy", "check", "--no-cache", name],
                               cwd=folder, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        raise SystemExit(completed.stderr.decode())
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--text", type=Path, default=TEXT)
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    if args.text is None or not args.text.is_file():
        raise SystemExit("no text to bind: give --text PATH (a Markdown file of about 200 kB)")
    declaration = (REPO / "examples" / "notes-app.tos").read_text(encoding="utf-8")
    bound = declaration.replace('service "Example Notes" {', 'service "Example Notes" {\n'
                                '  text: "privacy.md"\n'
                                '  quote: "We use information to improve our products"', 1)
    assert bound != declaration
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        subprocess.run(["git", "init", "--quiet"], cwd=folder, check=True)
        shutil.copyfile(args.text, folder / "privacy.md")
        (folder / "plain.tos").write_text(declaration, encoding="utf-8")
        (folder / "bound.tos").write_text(bound, encoding="utf-8")
        cache = folder / "cache"
        env = dict(os.environ, TOSPOLICY_CACHE_DIR=str(cache))
        times = {"plain.tos": [], "bound.tos": []}
        for name in times:
            _run(folder, name, env)  # warm-up: the caches, the bytecode
        for _ in range(args.repeat):
            for name in times:
                if args.cold:
                    shutil.rmtree(cache, ignore_errors=True)
                times[name].append(_run(folder, name, env))
    plain, bound_time = (statistics.median(times[name]) for name in ("plain.tos", "bound.tos"))
    size = args.text.stat().st_size
    print(f"check, no binding:            {plain * 1000:7.0f} ms (median of {args.repeat})")
    print(f"check, bound to {size / 1000:.0f} kB text:  {bound_time * 1000:7.0f} ms")
    print(f"binding adds {100 * (bound_time / plain - 1):+.0f}%"
          f"{' (cold caches)' if args.cold else ' (warm pack, block and topic caches)'}")


if __name__ == "__main__":
    main()
