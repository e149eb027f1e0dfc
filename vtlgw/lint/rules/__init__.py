"""The rule modules; importing this package registers every rule.

One import line per module, grouped by family (VTL0xx language, VTL1xx
variables, VTL2xx rendered output, VTL3xx integration, VTL4xx limits,
VTL5xx definitions).
"""
from . import integration  # noqa: F401,E402  (VTL3xx)
from . import definitions  # noqa: F401,E402  (VTL5xx)
from . import language  # noqa: F401,E402  (VTL0xx)
from . import variables  # noqa: F401,E402  (VTL1xx)
from . import limits  # noqa: F401,E402  (VTL4xx)
from . import rendered  # noqa: F401,E402  (VTL2xx)
