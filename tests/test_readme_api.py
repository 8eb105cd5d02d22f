"""The README's `curl` examples for the CMS work as written against the demo: each block is run
by bash against `streamlit run app.py` serving the demo, with only the port changed and every
`curl` made to fail on an HTTP error, so the README cannot drift from the server."""

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.test_browser import ROOT, serving

README = ROOT / "README.md"
SECTIONS = (
    "The CMS sends stories, corrections and publications",
    "The CMS reads stories and versions",
)
README_ADDRESS = "http://localhost:8501"


def readme_block(heading: str) -> str:
    """The first `sh` code block under the README's section `heading`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(f"## {heading}\n") :]
    found = re.search(r"^```sh\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)
    assert found is not None, f"no sh block under {heading!r}"
    return found.group(1)


def as_run_here(block: str, address: str) -> str:
    """The block against the server at `address`, each `curl` failing on any HTTP error."""
    assert README_ADDRESS in block and "curl " in block
    return block.replace(README_ADDRESS, address).replace("curl ", "curl -fsS ")


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory):
    """The app serving the demo (loaded by its first call, waited for here), its database."""
    database = tmp_path_factory.mktemp("readme") / "desk.db"
    with serving(database) as address:
        with urllib.request.urlopen(f"{address}/api/v1/openapi.json", timeout=300) as answer:
            assert answer.status == 200  # the desk is open and the demo loaded
        yield address, database


@pytest.mark.parametrize("heading", SECTIONS)
def test_the_readmes_curl_block_runs_as_written_against_the_demo(demo_desk, heading, tmp_path):
    address, database = demo_desk
    # `python` in the block is this one, running this checkout's code on the served database.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", as_run_here(readme_block(heading), address)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, f"{heading}:\n{ran.stderr}\n{ran.stdout[-2000:]}"
