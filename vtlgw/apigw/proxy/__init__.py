"""Lambda proxy integrations: the events functions receive and what their responses become."""

from .event import http_api_event, rest_event
from .response import ProxyResponse, http_api_response, rest_response

__all__ = ["rest_event", "http_api_event", "rest_response", "http_api_response", "ProxyResponse"]
