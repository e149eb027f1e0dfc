"""Resource templates and request paths: the one place ``{name}``/``{name+}`` are parsed and matched.

The router (``ApiDefinition.find_method``), request files and the proxy
event all read paths through these functions, so they agree on slashes and
on percent-encoding: matching works on the path as sent, and only the
callers that need decoded values (mapping templates) decode them.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["collapse_slashes", "parameter_names", "request_segments", "route_segments", "match_path",
           "match_decoded", "split_resource_path", "is_variable", "is_greedy", "variable_name", "is_path_part",
           "PARAM_SEGMENT", "PATH_PART"]

_RUN_OF_SLASHES = re.compile(r"/{2,}")
#: One ``{name}`` or ``{name+}`` segment of a resource template.
PARAM_SEGMENT = re.compile(r"\{([^{}/+]+)(\+?)\}")
#: A resource's ``pathPart`` as API Gateway accepts one: a literal of ``a-zA-Z0-9._-``, ``{name}`` or ``{name+}``.
PATH_PART = re.compile(r"[a-zA-Z0-9._-]+\Z|\{[a-zA-Z0-9._-]+\+?\}\Z")


def split_resource_path(path: str) -> list[str]:
    """A resource template's segments: ``/pets/{id}`` -> ``["pets", "{id}"]``; the root is ``[]``."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


def is_variable(segment: str) -> bool:
    """``{name}`` or ``{name+}``: a segment that takes a path parameter."""
    return segment.startswith("{") and segment.endswith("}")


def is_greedy(segment: str) -> bool:
    """``{name+}``: a segment that takes the rest of the path."""
    return segment.startswith("{") and segment.endswith("+}")


def variable_name(segment: str) -> str:
    """The parameter name of a ``{name}`` or ``{name+}`` segment."""
    return segment[1:-2] if is_greedy(segment) else segment[1:-1]


def is_path_part(part: str) -> bool:
    """Whether API Gateway accepts ``part`` as a resource's path part (:data:`PATH_PART`)."""
    return PATH_PART.match(part) is not None


def collapse_slashes(path: str) -> str:
    """``path`` with every run of slashes made one, as API Gateway routes it and reports it in a proxy
    event's ``path`` (recorded on AWS: ``//hardcoded`` is ``/hardcoded``; ``requestContext.path`` stays raw)."""
    return _RUN_OF_SLASHES.sub("/", path) if "//" in path else path


def parameter_names(resource: str) -> list[str]:
    """The ``{name}``/``{name+}`` parameters of a resource template; ValueError says what is malformed."""
    if not resource.startswith("/"):
        raise ValueError('a resource must start with "/"')
    if "?" in resource:
        raise ValueError('a resource must not contain "?"')
    segments = resource.split("/")[1:]
    names: list[str] = []
    for i, segment in enumerate(segments):
        if "{" not in segment and "}" not in segment:
            continue
        m = PARAM_SEGMENT.fullmatch(segment)
        if not m:
            raise ValueError(f'segment "{segment}" must be a literal, {{name}} or {{name+}}')
        if m.group(2) and i != len(segments) - 1:
            raise ValueError(f'greedy parameter "{segment}" must be the last segment')
        if m.group(1) in names:
            raise ValueError(f'parameter "{m.group(1)}" appears twice')
        names.append(m.group(1))
    return names


def request_segments(path: str) -> list[str]:
    """The segments API Gateway routes a request path by: runs of slashes are one, and a single
    trailing slash is not a segment (recorded on AWS: ``/x/`` on ``/{proxy+}`` gives ``x``)."""
    raw = collapse_slashes(path.split("?", 1)[0])
    raw = raw[1:] if raw.startswith("/") else raw
    raw = raw[:-1] if raw.endswith("/") else raw
    return raw.split("/") if raw else []


def route_segments(path: str) -> list[str]:
    """The segments an HTTP API routes a request path by: split at every slash, nothing folded (U49: a
    trailing slash or a run of slashes leaves empty segments, which match no route segment)."""
    raw = path.split("?", 1)[0]
    raw = raw[1:] if raw.startswith("/") else raw
    return raw.split("/") if raw else []


def match_path(resource: str, path: str) -> dict[str, str] | None:
    """Match ``path`` against one resource template; the parameters as sent (still percent-encoded),
    or None.

    ``{name}`` takes one non-empty segment; ``{name+}`` the rest of the path
    (at least one segment, so not the root). Slashes are read as
    :func:`request_segments` reads them.
    """
    wanted = [s for s in resource.split("/")[1:] if s] if resource != "/" else []
    parts = request_segments(path)
    params: dict[str, str] = {}
    for i, segment in enumerate(wanted):
        m = PARAM_SEGMENT.fullmatch(segment)
        if m and m.group(2):
            if i >= len(parts):
                return None
            params[m.group(1)] = "/".join(parts[i:])
            return params
        if i >= len(parts):
            return None
        if m:
            if not parts[i]:
                return None
            params[m.group(1)] = parts[i]
        elif segment != parts[i]:
            return None
    return params if len(parts) == len(wanted) else None


def match_decoded(resource: str, path: str) -> dict[str, str] | None:
    """:func:`match_path` with each value percent-decoded, as mapping templates see path parameters."""
    found = match_path(resource, path)
    return None if found is None else {name: unquote(value) for name, value in found.items()}
