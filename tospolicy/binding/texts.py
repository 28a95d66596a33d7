"""Reading the texts a declaration binds, within the repository and the limits.

`text:` paths are relative to the declaration's file and stay inside the
repository: the top of the git work tree holding the declaration (the
folder with `.git`), or the declaration's own folder outside git. A path
that is absolute, climbs out with `..`, or goes through a symbolic link
out of the repository is not read (a pull request could otherwise bind
`/etc/passwd` and have it quoted back in findings); nor is anything but a
regular file (a FIFO would block the check, a device never end). A file is
opened without blocking and read no further than the limit, then must be
UTF-8 without NUL bytes. Each problem is a sentence for TEXT002.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.binding import blockcache
from tospolicy.binding.blocks import Block
from tospolicy.binding.reading import read_blocks
from tospolicy.support.paths import display_path
from tospolicy.language.model import Declaration, Span, Text, items_of
from tospolicy.limits import Limits, text_from_bytes
from tospolicy.support.files import open_regular_file

# Terms and policies are tens to hundreds of kilobytes; the largest real one
# we know (Facebook's privacy policy, in two copies) is about 260 kB. A text
# is read up to this size, or `limits.max-file-bytes` when that is lower.
MAX_TEXT_BYTES = 4 * 1024 * 1024


def repository_root(declaration_file: Path) -> Path:
    """The folder a declaration's texts must be in."""
    folder = Path(os.path.abspath(declaration_file)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def locate(given: str, declaration_file: Path, root: Path) -> tuple[Path | None, str | None]:
    """The file `given` names, or why it is not read."""
    if not given.strip():
        return None, "the text path is empty"
    if "\0" in given:
        return None, "the text path holds a NUL character"
    if os.path.isabs(given) or given.startswith(("/", "\\")):
        return None, f"'{given}' is an absolute path: texts are named relative to the declaration"
    root_text = os.path.abspath(root)
    path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(declaration_file)), given))
    if not _inside(path, root_text):
        return None, f"'{given}' is outside the repository ({display_path(root)}): not read"
    try:
        real = os.path.realpath(path)
        real_root = os.path.realpath(root_text)
    except (OSError, RuntimeError, ValueError):
        return None, f"'{given}' cannot be resolved (a loop of symbolic links?): not read"
    if not _inside(real, real_root):
        # The path is kept (the result cache watches it); the file is not read.
        return Path(path), f"'{given}' goes through a symbolic link out of the repository: not read"
    return Path(path), None


def read_text_bytes(path: Path, given: str, max_bytes: int) -> tuple[bytes | None, str | None]:
    """At most `max_bytes` of a regular file, or why it cannot be read."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None, f"'{given}' does not exist"
    except OSError as error:
        return None, f"cannot read '{given}': {error.strerror or error}"
    if not stat.S_ISREG(status.st_mode):
        what = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a FIFO or a device)"
        return None, f"'{given}' is {what}: not read"
    if status.st_size > max_bytes:
        return None, f"'{given}' is larger than the limit of {max_bytes} bytes for a text"
    try:
        stream = open_regular_file(path)
        if stream is None:  # swapped since the stat
            return None, f"'{given}' is not a regular file: not read"
        with stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        return None, f"cannot read '{given}': {error.strerror or error}"
    if len(data) > max_bytes:
        return None, f"'{given}' is larger than the limit of {max_bytes} bytes for a text"
    return data, None


@dataclass
class BoundText:
    """One `text:` of a service: where it is and what it says, or why it was not read."""

    given: str
    span: Span  # of the path in the declaration
    path: Path | None = None
    display: str = ""  # how findings name the file
    blocks: list[Block] | None = None
    problem: str | None = None
    digest: str = ""  # of the bytes read (the result cache's key includes it)


@dataclass
class Binding:
    """The texts of each service of one declaration (by the service's position)."""

    texts: dict[int, list[BoundText]] = field(default_factory=dict)

    def of(self, service_number: int) -> list[BoundText]:
        return self.texts.get(service_number, [])

    @property
    def files(self) -> list[list[str]]:
        """[path, real path, digest of the bytes] of every text located, for the
        result cache: findings kept for a declaration are used again only
        while each of its texts has the same bytes (digest "" when unread)."""
        located = {(str(text.path), os.path.realpath(text.path), text.digest)
                   for texts in self.texts.values() for text in texts if text.path is not None}
        return [list(entry) for entry in sorted(located)]


def file_digest(path: str, max_bytes: int) -> str:
    """The digest `Binding.files` records for the file at `path` now."""
    data, _ = read_text_bytes(Path(path), path, max_bytes)
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def text_values(service) -> list[Text]:
    return [value for value in items_of(service.value("text")) if isinstance(value, Text)]


def binds(declaration: Declaration) -> bool:
    """Whether the declaration names a text or quotes one."""
    return any(node.attribute("text") or node.attribute("quote")
               for service in declaration.services for node in (service, *service.statements))


def max_text_bytes(limits: Limits) -> int:
    return min(limits.max_file_bytes, MAX_TEXT_BYTES)


def bind(declaration: Declaration, declaration_file: Path, limits: Limits,
         cwd: Path | None = None, reader=None) -> Binding:
    """Read every text the declaration's services name. `reader(path, given)`
    replaces reading from disk (a file at a git commit) and returns bytes or
    a problem."""
    root = repository_root(declaration_file)
    binding = Binding()
    seen: dict[Path, BoundText] = {}
    for number, service in enumerate(declaration.services):
        for value in text_values(service):
            bound = BoundText(value.value, value.span)
            binding.texts.setdefault(number, []).append(bound)
            path, bound.problem = locate(value.value, declaration_file, root)
            bound.path = path
            if path is None or bound.problem is not None:
                continue
            bound.display = display_path(path, cwd)
            if path in seen:
                earlier = seen[path]
                bound.blocks, bound.problem, bound.digest = earlier.blocks, earlier.problem, earlier.digest
                continue
            seen[path] = bound
            if reader is not None:
                data, bound.problem = reader(path, value.value)
            else:
                data, bound.problem = read_text_bytes(path, value.value, max_text_bytes(limits))
            if data is None:
                continue
            bound.digest = hashlib.sha256(data).hexdigest()
            text, finding = text_from_bytes(data, bound.display, limits)
            if finding is not None:
                bound.problem = f"'{value.value}' is {finding.message}"
                continue
            bound.blocks = blockcache.load(data, path.name)
            if bound.blocks is None:
                bound.blocks = read_blocks(text, path.name)
                blockcache.store(data, path.name, bound.blocks)
    return binding
