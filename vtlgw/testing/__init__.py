"""Testing mapping templates and whole methods from Python: the core of vtlgw's pytest plugin.

``Harness(root).render("templates/create.vtl", json={...})``,
``Harness(root).api("template.yaml").invoke("POST /orders", ...)`` and ``.event("GET /orders/7")`` (the
event a Lambda proxy function receives) work in any test runner; the pytest plugin (:mod:`vtlgw.pytest_plugin`) wraps them in the
``vtlgw`` fixture, with markers, options, readable failures and case files.
"""

from vtlgw.apigw.proxy.request_event import NoRouteError
from .harness import Api, Harness, StrictModeError, VtlgwWarning
from .request import RequestKeywordError
from .results import Headers, IntegrationRequestView, Invoked, OutputNotJsonError, Rendered

__all__ = ["Harness", "Api", "Rendered", "Invoked", "IntegrationRequestView", "Headers", "VtlgwWarning",
           "StrictModeError", "OutputNotJsonError", "RequestKeywordError", "NoRouteError"]
