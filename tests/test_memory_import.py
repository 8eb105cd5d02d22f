"""A translation memory comes in while the desk keeps saving: in short batches, never holding
the database long enough for a save to fail (full-size figures: benchmarks/tmx_while_saving.py)."""

from sqlmodel import Session, col, func, select

from benchmarks.tmx_while_saving import memory_file, prepare, run
from workflow.database import make_db_engine
from workflow.models import Change, MemoryUnit


def test_saves_at_the_desk_never_fail_while_a_memory_is_imported(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    data = memory_file(megabytes=1.5)  # some three thousand units, in three languages
    figures = run(url, data, prepare(url), every=0.02, warm_up=0.5)
    assert figures["saves_failed"] == 0, figures["first_failure"]
    assert figures["saves_attempted"] > 10
    assert figures["batches"] > 1  # written in batches, not in one long transaction
    engine = make_db_engine(url)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(MemoryUnit)).one() == figures["added"]
        imports = (
            select(func.count())
            .select_from(Change)
            .where(col(Change.detail).startswith("benchmark.tmx"))
        )
        assert session.exec(imports).one() == 1  # one audit line, with the last batch
    engine.dispose()
