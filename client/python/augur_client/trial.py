"""The trial seen from training code started by ``augur run``."""

import json
import os

from augur_client.client import Client


class TrialContext:
    """One trial: its parameters, and calls that report about it.

    ``params`` contains every parameter (matrix and fixed ``params``) with its
    JSON type. ``resume_from`` is the parent trial id when the trial should
    continue its parent's checkpoint (Hyperband promotion with resume, or a
    restart), else None; ``resume_dir`` is then the parent's output directory
    under the local runner. ``output_dir`` is the trial's own directory.
    """

    def __init__(self, client, trial_id, params, study=None, output_dir=None,
                 resume_from=None, resume_dir=None):
        self.client = client
        self.id = trial_id
        self.params = params
        self.study = study
        self.output_dir = output_dir
        self.resume_from = resume_from
        self.resume_dir = resume_dir
        self.stop_reason = None
        self._next_step = 0

    def report(self, step=None, **metrics):
        """Report metrics (numbers by name) at ``step`` and return True when
        the trial should stop.

        Without ``step``, reports count steps from 0 and continue after the
        last explicit step, as the stdout protocol of ``augur run`` does.
        """
        if not metrics:
            raise ValueError("report() needs at least one metric, e.g. report(loss=0.5)")
        if step is None:
            step = self._next_step
        self._next_step = step + 1
        decision = self.client.report_metric(self.id, step, metrics)
        if decision.should_stop:
            self.stop_reason = decision.message or "told to stop"
        return decision.should_stop

    def should_stop(self):
        """Return True when the server wants this trial to stop."""
        decision = self.client.should_stop(self.id)
        if decision.should_stop:
            self.stop_reason = decision.message or "told to stop"
        return decision.should_stop

    def complete(self, state="SUCCEEDED", message="", **final_metrics):
        """End the trial (SUCCEEDED unless ``state`` says otherwise) with
        optional final metrics, and return the trial."""
        return self.client.complete_trial(self.id, state, final_metrics, message)


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set: current_trial() works inside a trial started "
            "by `augur run`; elsewhere set AUGUR_ADDRESS, AUGUR_TRIAL_ID and "
            "AUGUR_PARAMS yourself"
        )
    return value


def current_trial(client=None):
    """Return the TrialContext of the trial this process runs.

    Reads AUGUR_ADDRESS, AUGUR_TRIAL_ID and AUGUR_PARAMS (JSON), and
    AUGUR_STUDY, AUGUR_OUTPUT_DIR, AUGUR_RESUME_FROM and AUGUR_RESUME_DIR
    when set. Raises RuntimeError when a required variable is missing or
    malformed.
    """
    address = _required("AUGUR_ADDRESS")
    trial_text = _required("AUGUR_TRIAL_ID")
    try:
        trial_id = int(trial_text)
    except ValueError:
        raise RuntimeError(f"AUGUR_TRIAL_ID is {trial_text!r}; expected an integer") from None
    params_text = os.environ.get("AUGUR_PARAMS", "{}")
    try:
        params = json.loads(params_text)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"AUGUR_PARAMS is not valid JSON ({error}): {params_text!r}") from None
    if not isinstance(params, dict):
        raise RuntimeError(f"AUGUR_PARAMS must be a JSON object, got {params_text!r}")

    resume_text = os.environ.get("AUGUR_RESUME_FROM")
    return TrialContext(
        client or Client(address),
        trial_id,
        params,
        study=os.environ.get("AUGUR_STUDY"),
        output_dir=os.environ.get("AUGUR_OUTPUT_DIR"),
        resume_from=int(resume_text) if resume_text else None,
        resume_dir=os.environ.get("AUGUR_RESUME_DIR") or None,
    )
