"""A big repository of mapping templates for the lint benchmark, generated from the good lint corpus.

The good corpus (``tests/lint/data/good/``: Lambda, SQS, DynamoDB, Step Functions, EventBridge,
Kinesis, S3, HTTP and MOCK templates, as ``.vtl`` files and inside OpenAPI, CloudFormation, SAM
and CDK definitions) is copied service by service, each copy with its own resource nouns
(orders, invoices, bookings, ...), field names and account, until the repository holds the
requested number of templates. Every template stays one a user could deploy, so a clean lint
of the result is part of what the benchmark checks.

Run on its own to look at the result::

    python bench/lint_corpus.py /tmp/lint-repo --templates 1000
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "tests" / "lint" / "data" / "good"

# (singular, Capitalised) resource nouns, customer-like nouns and list names; each copy takes one of each.
NOUNS = [("order", "Order"), ("invoice", "Invoice"), ("booking", "Booking"), ("ticket", "Ticket"),
         ("shipment", "Shipment"), ("payment", "Payment"), ("claim", "Claim"), ("parcel", "Parcel")]
PARTIES = [("customer", "Customer"), ("member", "Member"), ("tenant", "Tenant"), ("account", "Account")]
LISTS = ["items", "lines", "entries"]


@dataclass(frozen=True)
class CorpusStats:
    templates: int
    vtl_files: int
    definition_files: int


def templates_in(path: Path) -> int:
    """How many mapping templates a file holds (a ``.vtl`` file is one; a definition, all it embeds)."""
    if path.suffix == ".vtl":
        return 1
    from vtlgw.apigw.definition import load_definition

    api = load_definition(path, strict=False)
    count = sum(len(r.response_templates) for r in api.gateway_responses.values())
    for method in api.methods.values():
        integration = method.integration
        if integration is None:
            continue
        count += len(integration.request_templates)
        count += sum(len(r.response_templates) for r in integration.integration_responses)
    return count


def variant(text: str, index: int) -> str:
    """The text of copy ``index``: its own nouns, list name, account id and domain."""
    combos = list(product(NOUNS, PARTIES, LISTS))
    (noun, Noun), (party, Party), items = combos[index % len(combos)]
    text = text.replace("order", noun).replace("Order", Noun)
    text = text.replace("customer", party).replace("Customer", Party)
    text = re.sub(r"\bitems\b", items, text)
    text = text.replace("123456789012", f"{100000000000 + index:012d}")
    return text.replace("example.com", f"svc{index}.example.com")


def generate(root: Path, templates: int = 1000, source: Path = GOOD) -> CorpusStats:
    """Write service directories under ``root`` until they hold at least ``templates`` templates."""
    sources = sorted(p for p in source.iterdir() if p.is_file())
    if not sources:
        raise SystemExit(f"no good corpus at {source}")
    per_file = {p: templates_in(p) for p in sources}
    total = vtl = definitions = 0
    index = 0
    while total < templates:
        service = root / f"services/svc-{index:03d}"
        for path in sources:
            if total >= templates:
                break
            text = variant(path.read_text(encoding="utf-8"), index)
            subdir = service / ("templates" if path.suffix == ".vtl" else "infra")
            subdir.mkdir(parents=True, exist_ok=True)
            (subdir / path.name).write_text(text, encoding="utf-8")
            total += per_file[path]
            if path.suffix == ".vtl":
                vtl += 1
            else:
                definitions += 1
        index += 1
    return CorpusStats(total, vtl, definitions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--templates", type=int, default=1000)
    args = parser.parse_args()
    stats = generate(args.root, args.templates)
    print(f"{stats.templates} templates: {stats.vtl_files} .vtl files, {stats.definition_files} definitions "
          f"under {args.root}")


if __name__ == "__main__":
    main()
