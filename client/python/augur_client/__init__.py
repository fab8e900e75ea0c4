"""Python client of the augur hyperparameter-tuning service.

Two entry points:

* ``Client(address)`` speaks the augur.v1 gRPC API (suggestions, metrics,
  trial completion, studies).
* ``current_trial()`` gives training code started by ``augur run`` its
  parameters and a way to report metrics and honour stop decisions.
"""

from augur_client.client import AugurError, Client, parameters
from augur_client.trial import TrialContext, current_trial

__all__ = ["AugurError", "Client", "TrialContext", "current_trial", "parameters"]
