"""HTTP as API Gateway speaks it, below both the custom-integration pipeline and the proxy builders.

Media types and ``Accept`` (:mod:`.media`), the method response's headers (:mod:`.headers`) and the
payload conversions of ``contentHandling`` and ``binaryMediaTypes`` (:mod:`.content`): one copy, which
``pipeline/`` and ``proxy/`` both import and which imports neither.
"""
