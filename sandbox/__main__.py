"""Run the sandbox standalone: `python -m sandbox --port N`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from sandbox.driver import Sandbox


async def _serve(port: int, token: str | None, global_limit: int | None) -> None:
    async with Sandbox.start(port=port, token=token) as sandbox:
        if global_limit:
            sandbox.faults.enforce_global_limit(global_limit)
        for key, value in sandbox.env().items():
            print(f"export {key}={value}", flush=True)
        print(f"# sandbox ready on {sandbox.base_url} (Ctrl-C to stop)", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--token", default=None, help="bot token to accept (default: random)")
    parser.add_argument("--global-rate-limit", type=int, default=None, metavar="N",
                        help="answer 429 (global) beyond N requests per second, as Discord")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port, args.token, args.global_rate_limit))


if __name__ == "__main__":
    main()
