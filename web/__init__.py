"""The public web directory, calendars, JSON API, /healthz and /metrics (aiohttp + Jinja2).

Reads db/ and core/ only, so the same site runs inside `gugbot run` or alone (`gugbot web`).
"""
