"""Every limit of the template engine, each named once.

The AWS facts come first (API Gateway's template size and per-loop cap); the
others are the engine's own bounds, chosen so that no template can make a
render run away with memory or time. :class:`Limits` carries them per
template (tests and tools lower them); the ``*_error`` functions word the
failures, so that every check of one limit says the same thing.

API Gateway's limits on what a request or a definition may be (payload size
and so on) are not the language's: they live in :mod:`vtlgw.apigw.limits`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vtlgw.vtl.errors import LimitExceeded

#: API Gateway: a mapping template is at most 300 KB (UTF-8 bytes).
MAX_TEMPLATE_BYTES = 307_200
#: API Gateway: one ``#foreach`` stops after 1,000 iterations (U06).
MAX_LOOP_ITERATIONS = 1000
#: Characters a render may print.
MAX_OUTPUT_CHARS = 10 * 1024 * 1024
#: Characters of any one string a template builds.
MAX_STRING_CHARS = 10 * 1024 * 1024
#: Elements of any one list or map a template builds (``add``, ``addAll``, ``put``, ranges …).
MAX_COLLECTION_SIZE = 1_000_000
#: Bits of an integer (Velocity grows into BigInteger).
MAX_INTEGER_BITS = 4096
#: ``#define`` blocks printed inside one another.
MAX_DEFINE_DEPTH = 20
#: Nesting of directives, parentheses and brackets the parser accepts.
MAX_PARSE_DEPTH = 200
#: Loop iterations of one render, all loops together.
MAX_TOTAL_ITERATIONS = 1_000_000
#: Elements of one range literal ``[a..b]``.
MAX_RANGE_SIZE = 1_000_000
#: Seconds one regular expression operation may take.
REGEX_TIMEOUT = 1.0


@dataclass(frozen=True)
class Limits:
    """Engine limits of one template (defaults: the constants of :mod:`vtlgw.vtl.limits`)."""

    max_template_bytes: int = MAX_TEMPLATE_BYTES
    max_loop_iterations: int = MAX_LOOP_ITERATIONS
    loop_limit_is_error: bool = False  # U06 option: fail instead of warn
    max_output_chars: int = MAX_OUTPUT_CHARS
    max_string_chars: int = MAX_STRING_CHARS
    max_integer_bits: int = MAX_INTEGER_BITS
    max_define_depth: int = MAX_DEFINE_DEPTH
    max_parse_depth: int = MAX_PARSE_DEPTH
    max_total_iterations: int = MAX_TOTAL_ITERATIONS
    max_range_size: int = MAX_RANGE_SIZE
    regex_timeout: float = REGEX_TIMEOUT  # seconds per regular expression operation
    max_collection_size: int = MAX_COLLECTION_SIZE


DEFAULT_LIMITS = Limits()


# ------------------------------------------------------------------ the failures, worded once


def template_too_large_message(size: int | None, limit: int) -> str:
    """A template over API Gateway's size limit (``size`` None: not known, only that it is over)."""
    what = f"template is {size} bytes" if size is not None else f"template is larger than {limit} bytes"
    return f"{what}; API Gateway accepts at most {limit} bytes ({limit // 1024} KB) per mapping template"


def output_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded(f"output larger than {limits.max_output_chars} characters (engine limit)")


def string_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded(f"string longer than {limits.max_string_chars} characters (engine limit)")


def integer_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded(f"integer larger than {limits.max_integer_bits} bits (engine limit)")


def define_depth_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded(f"#define blocks nested deeper than {limits.max_define_depth} (engine limit)")


def collection_error(limits: Limits, kind: str, size: int) -> LimitExceeded:
    """A list or map (``kind``) would reach ``size`` elements, over the cap."""
    return LimitExceeded(
        f"{kind} would have {size} elements; at most {limits.max_collection_size} per list or map (engine limit: "
        f"max_collection_size)")


def check_collection(limits: Limits, kind: str, size: int) -> None:
    """Refuse a list or map that would have ``size`` elements, before it is built."""
    if size > limits.max_collection_size:
        raise collection_error(limits, kind, size)
