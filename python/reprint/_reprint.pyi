"""Type stubs of the extension module (the Rust library's entry points)."""

from typing import Any, Mapping, Optional, Sequence

__version__: str

def dedup_jsonl(
    jsonl: bytes, name: str = "<memory>", options: Optional[Mapping[str, Any]] = None
) -> str:
    """The report (JSON text) of JSON Lines bytes, read as `reprint dedup` reads a file."""

def dedup_paths(paths: Sequence[str], options: Optional[Mapping[str, Any]] = None) -> str:
    """The report (JSON text) of `reprint dedup PATHS`."""

def option_names() -> list[str]:
    """The option names the entry points take."""
