"""Write the OpenAPI document to frontend/openapi.json (the SPA's client is generated from it)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ocop.main import create_app

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "frontend" / "openapi.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
               encoding="utf-8")
print(f"wrote {out}")
