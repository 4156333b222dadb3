"""The minimal FastAPI app bench/load.py measures Reprise against (same server settings)."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
PAGE = "<!doctype html><html lang='fr'><title>Minimal</title><h1>Minimal</h1></html>"


@app.get("/", response_class=HTMLResponse)
def page() -> str:
    return PAGE


@app.get("/json")
def json() -> dict[str, str]:
    return {"status": "ok"}
