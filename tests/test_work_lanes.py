"""Every kind of background work has a worker that runs it: a kind added without a lane of
its own runs beside the deliveries, never sits unclaimed while drafts and deliveries go on."""

from unittest import mock

from workflow import work


def test_every_kind_of_job_is_run_by_exactly_one_lane(session):
    workers = work.lane_workers(session.get_bind())
    kinds = [kind for worker in workers.values() for kind in worker.kinds]
    assert sorted(kinds) == sorted(work.all_handlers())


def test_a_new_kind_without_a_lane_runs_beside_the_deliveries(session):
    handlers = work.all_handlers() | {"notify": lambda *_: None}
    with mock.patch.object(work, "all_handlers", return_value=handlers):
        workers = work.lane_workers(session.get_bind())
    assert "notify" in workers[work.DELIVERING].kinds
    assert "notify" not in workers[work.DRAFTING].kinds
