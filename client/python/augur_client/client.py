"""A typed wrapper over the generated augur.v1 stub."""

import time

import grpc

from augur_client import augur_pb2, augur_pb2_grpc

_TRIAL_STATES = {
    "PENDING": augur_pb2.PENDING,
    "ACTIVE": augur_pb2.ACTIVE,
    "SUCCEEDED": augur_pb2.SUCCEEDED,
    "FAILED": augur_pb2.FAILED,
    "STOPPED": augur_pb2.STOPPED,
}


class AugurError(Exception):
    """A failed call: ``code`` is the grpc.StatusCode, ``details`` the
    server's message."""

    def __init__(self, method, code, details):
        super().__init__(f"{method} failed ({code.name}): {details}")
        self.method = method
        self.code = code
        self.details = details


def _trial_state(state):
    """Accept a TrialState enum value or its name, in any case."""
    if isinstance(state, str):
        try:
            return _TRIAL_STATES[state.upper()]
        except KeyError:
            raise ValueError(
                f"unknown trial state {state!r}; use one of "
                f"{', '.join(_TRIAL_STATES)}"
            ) from None
    return state


def _value(value):
    """Convert a Python bool, int, float or str to an augur_pb2.Value."""
    if isinstance(value, bool):
        return augur_pb2.Value(bool_value=value)
    if isinstance(value, int):
        return augur_pb2.Value(int_value=value)
    if isinstance(value, float):
        return augur_pb2.Value(double_value=value)
    if isinstance(value, str):
        return augur_pb2.Value(string_value=value)
    raise TypeError(
        f"parameter value {value!r} is a {type(value).__name__}; use a bool, "
        "int, float or str"
    )


def _metrics(values):
    metrics = []
    for name, value in (values or {}).items():
        metrics.append(augur_pb2.Metric(name=name, value=float(value)))
    return metrics


class Client:
    """Client of an augur server at ``address`` ("host:port").

    Every call has a deadline of ``timeout`` seconds. A call that finds the
    server UNAVAILABLE is retried up to ``max_attempts`` times with
    exponential backoff (0.1 s doubling up to 3 s), except add_trial and
    restart_trial: a repeat would create a second trial if the first attempt
    reached the server. Failed calls raise AugurError.
    """

    def __init__(self, address, timeout=30.0, max_attempts=6):
        if not address:
            raise ValueError("address is empty; pass host:port of an augur server")
        if max_attempts < 1:
            raise ValueError(f"max_attempts is {max_attempts}; it must be at least 1")
        self.address = address
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._channel = grpc.insecure_channel(address)
        self._stub = augur_pb2_grpc.AugurStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _call(self, method, request, retry=True):
        backoff = 0.1
        attempts = self.max_attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return getattr(self._stub, method)(request, timeout=self.timeout)
            except grpc.RpcError as error:
                code = error.code()
                if code != grpc.StatusCode.UNAVAILABLE or attempt == attempts:
                    raise AugurError(method, code, error.details()) from None
            time.sleep(backoff)
            backoff = min(backoff * 2, 3.0)
        raise AssertionError("unreachable")

    def create_study(self, spec):
        """Create a study from an augur_pb2.StudySpec and return it; an
        existing study with the same name and spec is returned as it is."""
        return self._call("CreateStudy", augur_pb2.CreateStudyRequest(spec=spec))

    def get_study(self, study):
        """Return the augur_pb2.Study called ``study``."""
        return self._call("GetStudy", augur_pb2.GetStudyRequest(study=study))

    def list_studies(self):
        """Return every study as a list of augur_pb2.Study."""
        return list(self._call("ListStudies", augur_pb2.ListStudiesRequest()).studies)

    def get_suggestions(self, study, client_id, count=1):
        """Return a GetSuggestionsResponse with up to ``count`` trials for
        ``client_id``: its own ACTIVE trials first, then new ones, with the
        reason when there are fewer."""
        return self._call(
            "GetSuggestions",
            augur_pb2.GetSuggestionsRequest(study=study, count=count, client_id=client_id),
        )

    def report_metric(self, trial_id, step, metrics):
        """Append ``metrics`` (a name -> number dict) at ``step`` and return
        the StopDecision."""
        response = self._call(
            "ReportMetric",
            augur_pb2.ReportMetricRequest(
                trial_id=trial_id, step=step, metrics=_metrics(metrics)
            ),
        )
        return response.decision

    def complete_trial(self, trial_id, state="SUCCEEDED", final_metrics=None, message=""):
        """End a trial as SUCCEEDED, FAILED or STOPPED and return it."""
        return self._call(
            "CompleteTrial",
            augur_pb2.CompleteTrialRequest(
                trial_id=trial_id,
                state=_trial_state(state),
                final_metrics=_metrics(final_metrics),
                message=message,
            ),
        )

    def should_stop(self, trial_id):
        """Return the StopDecision for a trial."""
        return self._call(
            "ShouldStop", augur_pb2.ShouldStopRequest(trial_id=trial_id)
        ).decision

    def get_trial(self, trial_id):
        return self._call("GetTrial", augur_pb2.GetTrialRequest(trial_id=trial_id))

    def list_trials(self, study, states=None, order_by_objective=False):
        """Return the study's trials in ``states`` (names or enum values; all
        when None), best objective first when ``order_by_objective``."""
        request = augur_pb2.ListTrialsRequest(
            study=study,
            states=[_trial_state(state) for state in (states or [])],
            order_by_objective=order_by_objective,
        )
        return list(self._call("ListTrials", request).trials)

    def stop_study(self, study, reason=""):
        """Stop an ACTIVE study and return it. The study creates no new
        trials, and its ACTIVE trials receive a stop decision."""
        return self._call(
            "StopStudy", augur_pb2.StopStudyRequest(study=study, reason=reason)
        )

    def resume_study(self, study, budget=None):
        """Reopen a STOPPED or COMPLETED study and return it.

        ``budget``, when given, is the new total number of trials the
        algorithm may create, and it must exceed the current one. An ACTIVE
        study is returned unchanged."""
        request = augur_pb2.ResumeStudyRequest(study=study)
        if budget is not None:
            request.budget = budget
        return self._call("ResumeStudy", request)

    def add_trial(self, study, parameters, metrics=None, step=0):
        """Add a trial with ``parameters`` (a name -> bool, int, float or str
        dict) and return it.

        Without ``metrics`` the trial is queued as PENDING and handed to the
        next caller of get_suggestions. With ``metrics`` (a name -> number
        dict) it is imported as a SUCCEEDED result measured at ``step``, to
        warm-start the study. Either way the algorithm never suggests the
        point itself.
        """
        request = augur_pb2.AddTrialRequest(
            study=study,
            parameters=[
                augur_pb2.Parameter(name=name, value=_value(value))
                for name, value in parameters.items()
            ],
            state=augur_pb2.SUCCEEDED if metrics is not None else augur_pb2.PENDING,
        )
        if metrics is not None:
            request.measurements.add(step=step, metrics=_metrics(metrics))
        return self._call("AddTrial", request, retry=False)

    def restart_trial(self, trial_id, resume=False):
        """Queue an ended trial's parameters again as a new PENDING trial
        whose parent is ``trial_id``, and return it. With ``resume`` the new
        trial is marked to load the parent's checkpoint."""
        return self._call(
            "RestartTrial",
            augur_pb2.RestartTrialRequest(trial_id=trial_id, resume=resume),
            retry=False,
        )


def parameters(trial):
    """Return a trial's parameters as a dict of Python values."""
    values = {}
    for parameter in trial.parameters:
        kind = parameter.value.WhichOneof("kind")
        values[parameter.name] = getattr(parameter.value, kind) if kind else 0
    return values
