"""Naming rule packs: a built-in pack by its name, any other by its path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tospolicy.packs.types import Location
from tospolicy.support.resources import resource, resource_dir
from tospolicy.support.suggest import or_did_you_mean

# Files of rules/ that are data, not packs.
DATA_FILES = ("taxonomy.yaml", "attributes.yaml", "fideslang.yaml", "suggestions.yaml")
# The built-in pack of shared definitions, loaded with every set of packs.
DEFINITIONS_PACK = "definitions"


def builtin_packs() -> dict[str, Path]:
    """The built-in packs by name, `core` first and then by name, without the
    shared definitions."""
    folder = resource_dir("rules")
    paths = sorted(folder.glob("*.yaml"), key=lambda path: (path.stem != "core", path.stem))
    return {
        path.stem: path for path in paths
        if path.name not in DATA_FILES and path.stem != DEFINITIONS_PACK
    }


@dataclass(unsafe_hash=True)
class PackRef:
    """A pack as the user named it: a built-in name or a path (relative to `base`)."""

    text: str
    base: Path = Path(".")
    origin: Location | None = None  # where it was named, for errors (config file)

    @property
    def is_path(self) -> bool:
        text = self.text
        return "/" in text or os.sep in text or text.endswith((".yaml", ".yml"))


def resolve_ref(ref: PackRef, builtins: dict[str, Path]) -> tuple[Path, bool]:
    if not ref.is_path:
        if ref.text in builtins or ref.text == DEFINITIONS_PACK:
            return resource("rules", f"{ref.text}.yaml"), True
        message = f"no built-in pack named '{ref.text}' (built-in packs: {', '.join(builtins)})"
        message += or_did_you_mean(ref.text, builtins)
        message += f"; a pack file is named by its path, like ./{ref.text}.yaml"
        raise RefError(message)
    path = Path(ref.text)
    path = path if path.is_absolute() else ref.base / path
    if not path.is_file():
        raise RefError(f"pack file '{ref.text}' does not exist"
                       + (" (paths in the configuration are relative to its folder)"
                          if ref.origin else ""))
    return path, False


class RefError(Exception):
    """A pack reference that names no pack; the message says why."""
