"""The stack a template deploys to, and CloudFormation's intrinsic functions evaluated against it.

Offline there is no stack, so vtlgw supposes one: a region, an account, a
stack name (each overridable), the template's parameters (``Default`` or an
override), and for every resource the physical values CloudFormation would
give it, in the shape each resource type documents (``Ref`` of an SQS queue is
its URL, ``Fn::GetAtt Table.Arn`` a DynamoDB table ARN, ...). Names a template
leaves to CloudFormation are generated as it does,
``<stack>-<LogicalId>-<SUFFIX>``, from a hash, so they are the same on every
run.

What cannot be known (``Fn::ImportValue``, an attribute of a resource type
vtlgw does not model) becomes inert text, ``<Fn::ImportValue SharedTopicArn>``:
never an empty string, never a Velocity reference. Each such value is recorded
with its JSON pointer (:attr:`Evaluator.unresolved`) so a caller can warn.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Stack", "Evaluator", "Unresolved", "NO_VALUE", "StackError", "stack_value_problem"]

from vtlgw.apigw.errors import ArgumentError

from .errors import DefinitionError

#: What each supposed-stack value must look like, as CloudFormation and AWS accept it.
_STACK_VALUES = {
    "region": (re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}"), "an AWS region such as eu-west-1"),
    "account_id": (re.compile(r"\d{12}"), "a 12-digit AWS account id"),
    "stack_name": (re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}"),
                   "a stack name: a letter, then letters, digits and hyphens, at most 128 characters"),
    "partition": (re.compile(r"aws(-cn|-us-gov|-iso|-iso-b)?"), "aws, aws-cn or aws-us-gov"),
    "parameter": (re.compile(r"[A-Za-z0-9]{1,255}"), "a template parameter name (letters and digits)"),
}


def stack_value_problem(kind: str, value: object) -> str | None:
    """Why ``value`` cannot be the stack's ``kind`` (region, account_id, stack_name, partition, parameter), or None."""
    pattern, what = _STACK_VALUES[kind]
    if not isinstance(value, str):
        return f"expected {what}, not a {type(value).__name__}"
    if not pattern.fullmatch(value):
        return f"{value!r} is not {what}"
    return None


class StackError(DefinitionError):
    """An intrinsic function that CloudFormation itself would refuse (a bad argument, a missing key)."""


class _NoValue:
    """``AWS::NoValue``: the property is removed."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class Unresolved:
    """A value that cannot be known offline, where it was, and why."""

    pointer: str
    text: str
    reason: str


@dataclass
class Stack:
    """The supposed stack: pseudo-parameter values and parameter overrides (all deterministic)."""

    region: str = "us-east-1"
    account_id: str = "123456789012"
    stack_name: str = "vtlgw-stack"
    partition: str = "aws"
    parameters: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in ("region", "account_id", "stack_name", "partition"):
            problem = stack_value_problem(kind, getattr(self, kind))
            if problem:
                raise ArgumentError(f"Stack({kind}): {problem}")
        if not isinstance(self.parameters, dict):
            raise ArgumentError(f"Stack(parameters): expected a dict of parameter names to values, not a "
                                f"{type(self.parameters).__name__}")
        for name, value in self.parameters.items():
            problem = stack_value_problem("parameter", name)
            if problem:
                raise ArgumentError(f"Stack(parameters): {problem}")
            if not isinstance(value, str):
                raise ArgumentError(f"Stack(parameters): {name}: expected the value as a str, not a "
                                    f"{type(value).__name__}")

    @property
    def url_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    @property
    def stack_id(self) -> str:
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"vtlgw:{self.account_id}:{self.region}:{self.stack_name}")
        return f"arn:{self.partition}:cloudformation:{self.region}:{self.account_id}:stack/{self.stack_name}/{ident}"

    def pseudo(self, name: str) -> Any:
        """A pseudo-parameter's value (None when ``name`` is not one)."""
        values: dict[str, Any] = {
            "AWS::Region": self.region, "AWS::AccountId": self.account_id, "AWS::StackName": self.stack_name,
            "AWS::StackId": self.stack_id, "AWS::Partition": self.partition, "AWS::URLSuffix": self.url_suffix,
            "AWS::NoValue": NO_VALUE, "AWS::NotificationARNs": [],
        }
        return values.get(name)

    def generated_name(self, logical_id: str, *, lower: bool = False, limit: int = 80) -> str:
        """A name CloudFormation would generate: ``<stack>-<LogicalId>-<13-character suffix>``, cut to ``limit``."""
        digest = hashlib.sha256(f"{self.stack_name}/{logical_id}".encode()).digest()
        suffix = base64.b32encode(digest).decode()[:13]
        head = f"{self.stack_name}-{logical_id}"[: max(limit - 14, 1)]
        name = f"{head}-{suffix}"
        return name.lower() if lower else name


# ---------------------------------------------------------------- physical values of resources


def _name(props: dict, key: str, stack: Stack, lid: str, **kw: Any) -> str:
    value = props.get(key)
    return value if isinstance(value, str) and value else stack.generated_name(lid, **kw)


def _arn(stack: Stack, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
    return (f"arn:{stack.partition}:{service}:{stack.region if region else ''}:"
            f"{stack.account_id if account else ''}:{resource}")


def _queue(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "QueueName", stack, lid)
    if props.get("FifoQueue") in (True, "true") and not name.endswith(".fifo"):
        name = name[:75] + ".fifo"
    url = f"https://sqs.{stack.region}.{stack.url_suffix}/{stack.account_id}/{name}"
    return url, {"Arn": _arn(stack, "sqs", name), "QueueName": name, "QueueUrl": url}


def _topic(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "TopicName", stack, lid)
    arn = _arn(stack, "sns", name)
    return arn, {"TopicArn": arn, "TopicName": name}


def _table(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "TableName", stack, lid, limit=255)
    arn = _arn(stack, "dynamodb", f"table/{name}")
    return name, {"Arn": arn, "StreamArn": f"{arn}/stream/2020-01-01T00:00:00.000"}


def _state_machine(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "StateMachineName", stack, lid)
    if props.get("Name") and isinstance(props.get("Name"), str):  # SAM's AWS::Serverless::StateMachine
        name = props["Name"]
    arn = _arn(stack, "states", f"stateMachine:{name}")
    return arn, {"Arn": arn, "Name": name}


def _function(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "FunctionName", stack, lid, limit=64)
    return name, {"Arn": _arn(stack, "lambda", f"function:{name}")}


def _stream(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "Name", stack, lid, limit=128)
    return name, {"Arn": _arn(stack, "kinesis", f"stream/{name}")}


def _event_bus(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "Name", stack, lid, limit=256)
    return name, {"Arn": _arn(stack, "events", f"event-bus/{name}"), "Name": name}


def _bucket(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "BucketName", stack, lid, lower=True, limit=63)
    return name, {
        "Arn": f"arn:{stack.partition}:s3:::{name}",
        "DomainName": f"{name}.s3.{stack.url_suffix}",
        "RegionalDomainName": f"{name}.s3.{stack.region}.{stack.url_suffix}",
        "WebsiteURL": f"http://{name}.s3-website-{stack.region}.{stack.url_suffix}",
    }


def _role(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    name = _name(props, "RoleName", stack, lid, limit=64)
    role_id = "AROA" + base64.b32encode(hashlib.sha256(name.encode()).digest()).decode()[:17]
    return name, {"Arn": f"arn:{stack.partition}:iam::{stack.account_id}:role/{name}", "RoleId": role_id}


def _rest_api(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    digest = hashlib.sha256(f"{stack.stack_name}/{lid}".encode()).hexdigest()
    api_id = "".join(c for c in digest if c.isalnum())[:10]
    root = hashlib.sha256(f"{api_id}/root".encode()).hexdigest()[:10]
    return api_id, {"RootResourceId": root}


def _http_api(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
    api_id = _rest_api(props, stack, lid)[0]
    return api_id, {"ApiId": api_id, "ApiEndpoint": f"https://{api_id}.execute-api.{stack.region}.{stack.url_suffix}"}


def _other(kind: str) -> Callable[[dict, Stack, str], tuple[str, dict[str, str]]]:
    def physical(props: dict, stack: Stack, lid: str) -> tuple[str, dict[str, str]]:
        return stack.generated_name(lid), {}
    return physical


#: Resource type -> (``Ref`` value, ``Fn::GetAtt`` attributes), in the shape each type documents.
PHYSICAL: dict[str, Callable[[dict, Stack, str], tuple[str, dict[str, str]]]] = {
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Topic": _topic,
    "AWS::DynamoDB::Table": _table,
    "AWS::Serverless::SimpleTable": _table,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::Serverless::StateMachine": _state_machine,
    "AWS::Lambda::Function": _function,
    "AWS::Serverless::Function": _function,
    "AWS::Kinesis::Stream": _stream,
    "AWS::Events::EventBus": _event_bus,
    "AWS::S3::Bucket": _bucket,
    "AWS::IAM::Role": _role,
    "AWS::ApiGateway::RestApi": _rest_api,
    "AWS::Serverless::Api": _rest_api,
    "AWS::ApiGatewayV2::Api": _http_api,
    "AWS::Serverless::HttpApi": _http_api,
}


# ---------------------------------------------------------------- evaluation

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


class Evaluator:
    """Evaluates intrinsic functions of one template against a :class:`Stack`."""

    def __init__(self, template: dict, stack: Stack | None = None) -> None:
        self.template = template if isinstance(template, dict) else {}
        self.stack = stack or Stack()
        resources = self.template.get("Resources")
        self.resources: dict[str, Any] = resources if isinstance(resources, dict) else {}
        parameters = self.template.get("Parameters")
        self.parameters: dict[str, Any] = parameters if isinstance(parameters, dict) else {}
        conditions = self.template.get("Conditions")
        self.conditions: dict[str, Any] = conditions if isinstance(conditions, dict) else {}
        mappings = self.template.get("Mappings")
        self.mappings: dict[str, Any] = mappings if isinstance(mappings, dict) else {}
        self.unresolved: list[Unresolved] = []
        #: Every Ref and Fn::GetAtt evaluated: (pointer, what was written, the value), for summaries.
        self.evaluated: list[tuple[str, str, str]] = []
        #: A file loaded on its own (an OpenAPI document written for AWS::Include): names the file cannot
        #: know are left unresolved instead of refused.
        self.standalone = False
        self._physical: dict[str, tuple[str, dict[str, str]]] = {}
        self._condition_values: dict[str, bool] = {}
        self._evaluating: set[str] = set()  # conditions being evaluated
        self._naming: set[str] = set()  # resources whose properties are being evaluated

    # ------------------------------------------------------------ values

    def parameter(self, name: str) -> Any:
        """A template parameter: the override, else its ``Default`` (None when it has neither)."""
        if name in self.stack.parameters:
            value: Any = self.stack.parameters[name]
        else:
            spec = self.parameters.get(name)
            if not isinstance(spec, dict) or "Default" not in spec:
                return None
            value = spec["Default"]
        spec = self.parameters.get(name)
        kind = spec.get("Type") if isinstance(spec, dict) else None
        if isinstance(kind, str) and kind.startswith("List<") or kind == "CommaDelimitedList":
            return [part.strip() for part in str(value).split(",")] if not isinstance(value, list) else value
        return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else \
            ("true" if value is True else "false" if value is False else str(value))

    def physical(self, logical_id: str) -> tuple[str, dict[str, str]] | None:
        """The ``Ref`` value and attributes of a resource (None when the template has no such resource)."""
        if logical_id not in self._physical:
            resource = self.resources.get(logical_id)
            if not isinstance(resource, dict):
                return None
            kind = resource.get("Type")
            props = resource.get("Properties")
            maker = PHYSICAL.get(kind) if isinstance(kind, str) else None
            values = self._scalar_properties(logical_id, props) if maker is not None else {}
            self._physical[logical_id] = (maker or _other(str(kind)))(values, self.stack, logical_id)
        return self._physical[logical_id]

    def _scalar_properties(self, logical_id: str, props: Any) -> dict[str, Any]:
        """A resource's scalar properties, intrinsics evaluated (``TableName: !Sub orders-${Stage}``); one that
        cannot be evaluated, or that refers back to the resource itself, is left out (a generated name then)."""
        if not isinstance(props, dict) or logical_id in self._naming:
            return {}
        self._naming.add(logical_id)
        unknown, seen = len(self.unresolved), len(self.evaluated)
        values: dict[str, Any] = {}
        try:
            for key, value in props.items():
                if isinstance(value, (str, bool, int)):
                    values[key] = value
                elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FUNCTIONS:
                    try:
                        result = self.evaluate(value, f"/Resources/{_escape(logical_id)}/Properties/{_escape(key)}")
                    except StackError:
                        continue
                    if isinstance(result, (str, bool, int)) and not (isinstance(result, str) and result.startswith("<")):
                        values[key] = result
        finally:
            self._naming.discard(logical_id)
            del self.unresolved[unknown:]  # what a resource's own properties needed is not the caller's concern
            del self.evaluated[seen:]
        return values

    def ref(self, name: str, pointer: str) -> Any:
        value = self._ref(name, pointer)
        if isinstance(value, str) and not value.startswith("<"):
            self.evaluated.append((pointer, f"Ref {name}", value))
        return value

    def _ref(self, name: str, pointer: str) -> Any:
        pseudo = self.stack.pseudo(name)
        if pseudo is not None:
            return pseudo
        if name in self.parameters or name in self.stack.parameters:
            value = self.parameter(name)
            if value is not None:
                return value
            return self._unknown(pointer, f"Ref {name}", f"parameter {name} has no Default (give --parameter "
                                                         f"{name}=VALUE)")
        kind = self.resources.get(name, {}).get("Type") if isinstance(self.resources.get(name), dict) else None
        if isinstance(kind, str) and (kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource"):
            return self._unknown(pointer, f"Ref {name}", f"{name} is a {kind}, whose physical id is whatever its "
                                                         "provider returns")
        found = self.physical(name)
        if found is not None:
            return found[0]
        if self.standalone:
            return self._unknown(pointer, f"Ref {name}", f"{name} is defined by the template that includes this "
                                                         "file; load that template to resolve it")
        raise StackError(f"Ref to {name!r}, which is neither a parameter nor a resource of the template",
                         pointer=pointer)

    def get_att(self, logical_id: str, attribute: str, pointer: str) -> Any:
        value = self._get_att(logical_id, attribute, pointer)
        if isinstance(value, str) and not value.startswith("<"):
            self.evaluated.append((pointer, f"GetAtt {logical_id}.{attribute}", value))
        return value

    def _get_att(self, logical_id: str, attribute: str, pointer: str) -> Any:
        found = self.physical(logical_id)
        if found is None and self.standalone:
            return self._unknown(pointer, f"Fn::GetAtt {logical_id}.{attribute}",
                                 f"{logical_id} is defined by the template that includes this file; load that "
                                 "template to resolve it")
        if found is None:
            raise StackError(f"Fn::GetAtt of {logical_id!r}, which is not a resource of the template",
                             pointer=pointer)
        value = found[1].get(attribute)
        if value is not None:
            return value
        kind = self.resources[logical_id].get("Type")
        return self._unknown(pointer, f"Fn::GetAtt {logical_id}.{attribute}",
                             f"vtlgw does not model the {attribute} attribute of {kind}")

    def _unknown(self, pointer: str, what: str, reason: str) -> str:
        text = f"<{what}>"
        self.unresolved.append(Unresolved(pointer, text, reason))
        return text

    # ------------------------------------------------------------ the functions

    def evaluate(self, value: Any, pointer: str = "") -> Any:
        """``value`` with every intrinsic function evaluated (``AWS::NoValue`` removes what it is in)."""
        if isinstance(value, list):
            out = [self.evaluate(v, f"{pointer}/{i}") for i, v in enumerate(value)]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key,) = value
            handler = _FUNCTIONS.get(key)
            if handler is not None:
                return handler(self, value[key], f"{pointer}/{_escape(key)}")
        out = {}
        for key, item in value.items():
            evaluated = self.evaluate(item, f"{pointer}/{_escape(str(key))}")
            if evaluated is not NO_VALUE:
                out[key] = evaluated
        return out

    def text(self, value: Any, pointer: str) -> str:
        """An evaluated value where a string is needed (numbers and booleans as CloudFormation writes them)."""
        result = self.evaluate(value, pointer)
        if isinstance(result, str):
            return result
        if isinstance(result, bool):
            return "true" if result else "false"
        if isinstance(result, (int, float)):
            return str(result)
        raise StackError(f"expected a string here, got {type(result).__name__}", pointer=pointer)

    def condition(self, name: str, pointer: str) -> bool:
        if name not in self._condition_values:
            if name not in self.conditions:
                raise StackError(f"condition {name!r} is not defined in Conditions", pointer=pointer)
            if name in self._evaluating:
                raise StackError(f"condition {name!r} depends on itself", pointer=pointer)
            self._evaluating.add(name)
            try:
                self._condition_values[name] = self.truth(self.conditions[name], f"/Conditions/{_escape(name)}")
            finally:
                self._evaluating.discard(name)
        return self._condition_values[name]

    def truth(self, value: Any, pointer: str) -> bool:
        result = self.evaluate(value, pointer)
        if isinstance(result, bool):
            return result
        if result in ("true", "false"):
            return result == "true"
        raise StackError("a condition must evaluate to true or false", pointer=pointer)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _list_arg(arg: Any, size: int, name: str, pointer: str) -> list:
    if not isinstance(arg, list) or len(arg) != size:
        raise StackError(f"{name} takes a list of {size} values", pointer=pointer)
    return arg


def _fn_ref(ev: Evaluator, arg: Any, pointer: str) -> Any:
    name = ev.evaluate(arg, pointer)
    if not isinstance(name, str):
        raise StackError("Ref takes a logical id or parameter name", pointer=pointer)
    return ev.ref(name, pointer)


def _fn_get_att(ev: Evaluator, arg: Any, pointer: str) -> Any:
    if isinstance(arg, str) and "." in arg:
        lid, attribute = arg.split(".", 1)
    else:
        lid, attribute = (ev.text(part, f"{pointer}/{i}") for i, part in enumerate(_list_arg(arg, 2, "Fn::GetAtt",
                                                                                           pointer)))
    return ev.get_att(lid, attribute, pointer)


def _fn_sub(ev: Evaluator, arg: Any, pointer: str) -> str:
    if isinstance(arg, str):
        text, variables = arg, {}
    elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
        text, variables = arg[0], arg[1]
    else:
        raise StackError("Fn::Sub takes a string, or a list of a string and a map of variables", pointer=pointer)

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if inner.startswith("!"):
            return "${" + match.group(1)[1:] + "}"  # ${!Literal} writes ${Literal}
        if inner in variables:
            return ev.text(variables[inner], f"{pointer}/1/{_escape(inner)}")
        if "." in inner and inner.split(".", 1)[0] in ev.resources:
            lid, attribute = inner.split(".", 1)
            return str(ev.get_att(lid, attribute, pointer))
        try:
            value = ev.ref(inner, pointer)
        except StackError:
            raise StackError(
                f"Fn::Sub refers to ${{{inner}}}, which is neither a parameter, a pseudo-parameter nor a resource "
                f"of the template, so CloudFormation refuses it; for a literal ${{{inner}}} (a Velocity "
                f"reference in a mapping template) write ${{!{inner}}}", pointer=pointer) from None
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return str(value)

    return _SUB_VAR.sub(replace, text)


def _fn_join(ev: Evaluator, arg: Any, pointer: str) -> str:
    delimiter, parts = _list_arg(arg, 2, "Fn::Join", pointer)
    values = ev.evaluate(parts, f"{pointer}/1")
    if not isinstance(values, list):
        raise StackError("Fn::Join takes a delimiter and a list", pointer=pointer)
    sep = ev.text(delimiter, f"{pointer}/0")
    return sep.join(ev.text(v, f"{pointer}/1/{i}") for i, v in enumerate(values))


def _fn_select(ev: Evaluator, arg: Any, pointer: str) -> Any:
    index, values = _list_arg(arg, 2, "Fn::Select", pointer)
    items = ev.evaluate(values, f"{pointer}/1")
    try:
        position = int(ev.text(index, f"{pointer}/0"))
        if not isinstance(items, list) or position < 0:
            raise IndexError
        return items[position]
    except (ValueError, IndexError):
        raise StackError(f"Fn::Select index {index!r} is out of range", pointer=pointer) from None


def _fn_split(ev: Evaluator, arg: Any, pointer: str) -> list[str]:
    delimiter, source = _list_arg(arg, 2, "Fn::Split", pointer)
    return ev.text(source, f"{pointer}/1").split(ev.text(delimiter, f"{pointer}/0"))


def _fn_if(ev: Evaluator, arg: Any, pointer: str) -> Any:
    name, yes, no = _list_arg(arg, 3, "Fn::If", pointer)
    if not isinstance(name, str):
        raise StackError("Fn::If names a condition", pointer=pointer)
    chosen = (yes, 1) if ev.condition(name, pointer) else (no, 2)
    return ev.evaluate(chosen[0], f"{pointer}/{chosen[1]}")


def _fn_equals(ev: Evaluator, arg: Any, pointer: str) -> bool:
    left, right = _list_arg(arg, 2, "Fn::Equals", pointer)
    a, b = ev.evaluate(left, f"{pointer}/0"), ev.evaluate(right, f"{pointer}/1")
    return str(a) == str(b) if not isinstance(a, (dict, list)) else a == b


def _fn_and(ev: Evaluator, arg: Any, pointer: str) -> bool:
    if not isinstance(arg, list) or not 2 <= len(arg) <= 10:
        raise StackError("Fn::And takes 2 to 10 conditions", pointer=pointer)
    return all(ev.truth(c, f"{pointer}/{i}") for i, c in enumerate(arg))


def _fn_or(ev: Evaluator, arg: Any, pointer: str) -> bool:
    if not isinstance(arg, list) or not 2 <= len(arg) <= 10:
        raise StackError("Fn::Or takes 2 to 10 conditions", pointer=pointer)
    return any(ev.truth(c, f"{pointer}/{i}") for i, c in enumerate(arg))


def _fn_not(ev: Evaluator, arg: Any, pointer: str) -> bool:
    (cond,) = _list_arg(arg, 1, "Fn::Not", pointer)
    return not ev.truth(cond, f"{pointer}/0")


def _condition(ev: Evaluator, arg: Any, pointer: str) -> bool:
    if not isinstance(arg, str):
        raise StackError("Condition names a condition", pointer=pointer)
    return ev.condition(arg, pointer)


def _fn_find_in_map(ev: Evaluator, arg: Any, pointer: str) -> Any:
    if not isinstance(arg, list) or len(arg) not in (3, 4):
        raise StackError("Fn::FindInMap takes a map name, a top-level key and a second-level key", pointer=pointer)
    names = [ev.text(part, f"{pointer}/{i}") for i, part in enumerate(arg[:3])]
    try:
        value = ev.mappings[names[0]][names[1]][names[2]]
    except (KeyError, TypeError):
        if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            return ev.evaluate(arg[3]["DefaultValue"], f"{pointer}/3/DefaultValue")
        raise StackError(f"Fn::FindInMap: Mappings has no {'.'.join(names)}", pointer=pointer) from None
    return value


def _fn_base64(ev: Evaluator, arg: Any, pointer: str) -> str:
    return base64.b64encode(ev.text(arg, pointer).encode("utf-8")).decode("ascii")


def _fn_get_azs(ev: Evaluator, arg: Any, pointer: str) -> list[str]:
    region = ev.text(arg, pointer) if arg not in ("", None) else ev.stack.region
    return [f"{region or ev.stack.region}{zone}" for zone in "abc"]


def _fn_import_value(ev: Evaluator, arg: Any, pointer: str) -> str:
    name = ev.text(arg, pointer)
    return ev._unknown(pointer, f"Fn::ImportValue {name}", f"{name} is exported by another stack")


def _fn_to_json_string(ev: Evaluator, arg: Any, pointer: str) -> str:
    return json.dumps(ev.evaluate(arg, pointer), separators=(",", ":"), ensure_ascii=False)


def _fn_length(ev: Evaluator, arg: Any, pointer: str) -> int:
    items = ev.evaluate(arg, pointer)
    if not isinstance(items, list):
        raise StackError("Fn::Length takes a list", pointer=pointer)
    return len(items)


def _fn_other(name: str) -> Callable[[Evaluator, Any, str], str]:
    def unknown(ev: Evaluator, arg: Any, pointer: str) -> str:
        return ev._unknown(pointer, name, f"vtlgw does not evaluate {name}")
    return unknown


_FUNCTIONS: dict[str, Callable[[Evaluator, Any, str], Any]] = {
    "Ref": _fn_ref, "Fn::GetAtt": _fn_get_att, "Fn::Sub": _fn_sub, "Fn::Join": _fn_join,
    "Fn::Select": _fn_select, "Fn::Split": _fn_split, "Fn::If": _fn_if, "Fn::Equals": _fn_equals,
    "Fn::And": _fn_and, "Fn::Or": _fn_or, "Fn::Not": _fn_not, "Condition": _condition,
    "Fn::FindInMap": _fn_find_in_map, "Fn::Base64": _fn_base64, "Fn::GetAZs": _fn_get_azs,
    "Fn::ImportValue": _fn_import_value, "Fn::ToJsonString": _fn_to_json_string, "Fn::Length": _fn_length,
    "Fn::Cidr": _fn_other("Fn::Cidr"), "Fn::Transform": _fn_other("Fn::Transform"),
}
