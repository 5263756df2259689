"""Benchmarks: Rondetafel beside the reference y-websocket servers, run by ``make bench``.

Not part of ``make test``. ``python -m tests.bench --help`` lists the benchmarks and options.
Reference servers are installed at run time into ``tests/bench/.peers/`` (git-ignored).
"""
