"""A small fixed-window rate limiter per key (in memory, per process)."""
from __future__ import annotations

import threading
import time

from .errors import TooManyRequests


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, limit: int, window_seconds: int) -> None:
        now = int(time.time())
        start = now - now % window_seconds
        with self._lock:
            win_start, count = self._windows.get(key, (start, 0))
            if win_start != start:
                win_start, count = start, 0
            count += 1
            self._windows[key] = (win_start, count)
            if len(self._windows) > 100_000:  # drop stale windows
                self._windows = {k: v for k, v in self._windows.items() if v[0] == start}
        if count > limit:
            retry = win_start + window_seconds - now
            raise TooManyRequests("Too many requests; slow down and try again later.", code="rate_limited",
                                  headers={"Retry-After": str(max(retry, 1))})

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


public_limiter = RateLimiter()
client_limiter = RateLimiter()
