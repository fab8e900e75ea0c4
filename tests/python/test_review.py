"""Review calls of augur_client (add, restart, stop, resume) against a real
augur-server."""

import grpc
import pytest

import augur_client
from augur_client import augur_pb2


def grid_spec(name, values=(1, 2, 3)):
    spec = augur_pb2.StudySpec(name=name, concurrency=1)
    spec.metric.name = "loss"
    spec.metric.optimization = augur_pb2.MINIMIZE
    parameter = spec.parameters.add(name="x")
    for value in values:
        parameter.values.values.add(int_value=value)
    spec.run.cmd = "true"
    return spec


def run_to_end(client, study):
    """Run every trial the study hands out, reporting loss = x, and return
    the x values in the order they were handed out."""
    seen = []
    while True:
        reply = client.get_suggestions(study, client_id="py-0")
        if not reply.trials:
            return seen, reply
        trial = reply.trials[0]
        x = augur_client.parameters(trial)["x"]
        seen.append(x)
        client.complete_trial(trial.id, "SUCCEEDED", {"loss": float(x)})


def test_imported_point_is_never_suggested(client):
    client.create_study(grid_spec("warm"))

    imported = client.add_trial("warm", {"x": 2}, metrics={"loss": 0.5})
    seen, last = run_to_end(client, "warm")

    assert imported.state == augur_pb2.SUCCEEDED
    assert imported.objective_value == pytest.approx(0.5)
    assert seen == [1, 3]
    assert last.study_state == augur_pb2.STUDY_COMPLETED
    assert client.get_study("warm").best_trial.id == imported.id


def test_queued_trial_runs_first(client):
    client.create_study(grid_spec("queued"))

    queued = client.add_trial("queued", {"x": 3})
    first = client.get_suggestions("queued", client_id="py-0").trials[0]

    assert queued.state == augur_pb2.PENDING
    assert first.id == queued.id
    assert augur_client.parameters(first) == {"x": 3}


def test_add_trial_rejects_unknown_value(client):
    client.create_study(grid_spec("strict"))

    with pytest.raises(augur_client.AugurError) as error:
        client.add_trial("strict", {"x": 7})

    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "7" in error.value.details


def test_add_trial_rejects_unsupported_type(client):
    with pytest.raises(TypeError, match="use a bool, int, float or str"):
        client.add_trial("any", {"x": [1, 2]})


def test_restart_and_resume_keep_parent_link(client):
    client.create_study(grid_spec("again", values=(1, 2)))
    old = client.get_suggestions("again", client_id="py-0").trials[0]
    client.complete_trial(old.id, "SUCCEEDED", {"loss": 1.0})

    client.stop_study("again", reason="review")
    restarted = client.restart_trial(old.id, resume=True)
    while_stopped = client.get_suggestions("again", client_id="py-0")
    resumed = client.resume_study("again")
    handed = client.get_suggestions("again", client_id="py-0").trials[0]

    assert restarted.parent_id == old.id
    assert restarted.resume_from_parent
    assert not while_stopped.trials
    assert while_stopped.reason == augur_pb2.STUDY_ENDED
    assert resumed.state == augur_pb2.STUDY_ACTIVE
    assert handed.id == restarted.id
    assert handed.parent_id == old.id
    assert handed.resume_from_parent


def test_resume_with_larger_budget(client):
    spec = grid_spec("budget", values=(1, 2, 3, 4))
    spec.grid_search.n_experiments = 2
    client.create_study(spec)
    seen, _ = run_to_end(client, "budget")
    assert seen == [1, 2]

    study = client.resume_study("budget", budget=3)
    more, _ = run_to_end(client, "budget")

    assert study.budget == 3
    assert more == [3]


def test_resume_rejects_smaller_budget(client):
    client.create_study(grid_spec("small"))
    run_to_end(client, "small")

    with pytest.raises(augur_client.AugurError) as error:
        client.resume_study("small", budget=2)

    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
