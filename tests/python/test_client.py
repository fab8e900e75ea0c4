"""augur_client against a real augur-server."""

import json
import os
import subprocess
import sys

import grpc
import pytest

import augur_client
from augur_client import augur_pb2


def grid_spec(name, values=(1, 2, 3), concurrency=2):
    spec = augur_pb2.StudySpec(name=name, concurrency=concurrency)
    spec.metric.name = "loss"
    spec.metric.optimization = augur_pb2.MINIMIZE
    parameter = spec.parameters.add(name="x")
    for value in values:
        parameter.values.values.add(int_value=value)
    spec.run.cmd = "true"
    return spec


def test_trial_lifecycle(client):
    study = client.create_study(grid_spec("lifecycle"))
    assert study.name == "lifecycle"

    reply = client.get_suggestions("lifecycle", client_id="py-0")
    assert len(reply.trials) == 1
    trial = reply.trials[0]
    assert augur_client.parameters(trial) == {"x": 1}

    decision = client.report_metric(trial.id, 0, {"loss": 0.5})
    assert not decision.should_stop
    assert not client.should_stop(trial.id).should_stop

    done = client.complete_trial(trial.id, "succeeded", {"loss": 0.25})
    assert done.state == augur_pb2.SUCCEEDED
    assert done.objective_value == pytest.approx(0.25)

    assert client.get_trial(trial.id).state == augur_pb2.SUCCEEDED
    listed = client.list_trials("lifecycle", states=["SUCCEEDED"], order_by_objective=True)
    assert [t.id for t in listed] == [trial.id]
    assert client.get_study("lifecycle").succeeded_trials == 1
    assert [s.name for s in client.list_studies()] == ["lifecycle"]


def test_retry_returns_own_active_trial(client):
    client.create_study(grid_spec("retry"))

    first = client.get_suggestions("retry", client_id="py-0").trials[0]
    again = client.get_suggestions("retry", client_id="py-0").trials[0]

    assert again.id == first.id


def test_errors_carry_grpc_code(client):
    with pytest.raises(augur_client.AugurError) as error:
        client.get_study("missing")
    assert error.value.code == grpc.StatusCode.NOT_FOUND
    assert "missing" in str(error.value)


def test_report_after_stop_says_stop(client):
    client.create_study(grid_spec("stopped"))
    trial = client.get_suggestions("stopped", client_id="py-0").trials[0]

    client.stop_study("stopped", reason="enough")

    assert client.report_metric(trial.id, 0, {"loss": 1.0}).should_stop
    assert client.should_stop(trial.id).should_stop


def test_unknown_state_name_is_rejected(client):
    with pytest.raises(ValueError, match="unknown trial state 'done'"):
        client.complete_trial(1, "done")


def test_unavailable_server_raises_after_retries():
    client = augur_client.Client("127.0.0.1:1", timeout=2, max_attempts=2)
    with pytest.raises(augur_client.AugurError) as error:
        client.list_studies()
    assert error.value.code == grpc.StatusCode.UNAVAILABLE


def run_training(code, env):
    """Run `code` in a child interpreter with `env` added, as augur run does."""
    full_env = dict(os.environ, **env)
    return subprocess.run([sys.executable, "-c", code], env=full_env,
                          capture_output=True, text=True, timeout=60)


def trial_env(server, trial_id, params, **extra):
    env = {
        "AUGUR_ADDRESS": server,
        "AUGUR_TRIAL_ID": str(trial_id),
        "AUGUR_PARAMS": json.dumps(params),
    }
    env.update(extra)
    return env


def test_current_trial_reports_and_completes(server, client):
    client.create_study(grid_spec("training"))
    trial = client.get_suggestions("training", client_id="py-0").trials[0]
    code = """
import augur_client
trial = augur_client.current_trial()
assert trial.params == {"x": 1, "epochs": 3}, trial.params
assert trial.resume_from is None
assert trial.resume_dir is None
for epoch in range(trial.params["epochs"]):
    assert trial.report(loss=1.0 / (epoch + 1)) is False
assert trial.should_stop() is False
trial.complete(loss=0.2)
"""
    result = run_training(code, trial_env(server, trial.id, {"x": 1, "epochs": 3}))

    assert result.returncode == 0, result.stderr
    stored = client.get_trial(trial.id)
    assert stored.state == augur_pb2.SUCCEEDED
    assert [m.step for m in stored.measurements] == [0, 1, 2]
    assert stored.objective_value == pytest.approx(0.2)


def test_current_trial_sees_stop_decision(server, client):
    client.create_study(grid_spec("told"))
    trial = client.get_suggestions("told", client_id="py-0").trials[0]
    client.stop_study("told", reason="user request")
    code = """
import augur_client
trial = augur_client.current_trial()
print(trial.report(step=4, loss=0.5))
print(trial.stop_reason)
"""
    result = run_training(code, trial_env(server, trial.id, {"x": 1}))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "True"
    assert "user request" in lines[1]


def test_current_trial_reads_resume_variables(server):
    code = """
import augur_client
trial = augur_client.current_trial()
print(trial.id, trial.resume_from, trial.resume_dir, trial.study)
"""
    env = trial_env(server, 7, {}, AUGUR_RESUME_FROM="3",
                    AUGUR_RESUME_DIR="/runs/s/3", AUGUR_STUDY="s")
    result = run_training(code, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7", "3", "/runs/s/3", "s"]


def test_current_trial_outside_augur_explains(monkeypatch):
    for name in ("AUGUR_ADDRESS", "AUGUR_TRIAL_ID", "AUGUR_PARAMS"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="AUGUR_ADDRESS is not set"):
        augur_client.current_trial()


def test_current_trial_rejects_bad_params(monkeypatch):
    monkeypatch.setenv("AUGUR_ADDRESS", "127.0.0.1:1")
    monkeypatch.setenv("AUGUR_TRIAL_ID", "1")
    monkeypatch.setenv("AUGUR_PARAMS", "[1, 2]")
    with pytest.raises(RuntimeError, match="must be a JSON object"):
        augur_client.current_trial()


def test_report_needs_a_metric(server):
    trial = augur_client.TrialContext(augur_client.Client(server), 1, {})
    with pytest.raises(ValueError, match="at least one metric"):
        trial.report()
