"""The publishing workflow: valid for GitHub, no high finding of a security audit, and it runs the README's commands.

Both linters run offline: check-jsonschema validates against the GitHub workflow schema vendored in
its package, and zizmor --offline audits without asking GitHub anything.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def readme_setup_commands(readme: str) -> list[str]:
    """The shell code blocks of the README's "Set up" section, in order, one command each."""
    section = re.search(r"^## Set up\n(.*?)(?=^## )", readme, flags=re.S | re.M)
    assert section, "the README has no '## Set up' section"
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section.group(1), flags=re.S)]


SETUP, TEST = readme_setup_commands((ROOT / "README.md").read_text())


def _steps(job: str) -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text())["jobs"][job]["steps"]


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: pip install -r requirements.txt", pytrace=False)
    return found


def test_readme_has_exactly_two_setup_commands_on_one_line_each():
    assert len(readme_setup_commands((ROOT / "README.md").read_text())) == 2
    assert "\n" not in SETUP and "\n" not in TEST
    assert "python -m rnnlib book --profile paper" in SETUP and ".ci/install-browser" in SETUP
    assert TEST == "python -m pytest -q"


def test_workflow_matches_githubs_schema():
    proc = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_has_no_high_severity_audit_finding():
    proc = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--min-severity", "high", "--format", "plain",
                           str(WORKFLOW)], capture_output=True, text=True)
    # zizmor exits 0 without findings, 10 to 14 by the highest severity found, other codes on its own errors.
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_build_job_runs_the_readme_commands_in_order():
    runs = [step["run"].strip() for step in _steps("build") if "run" in step]
    assert runs == [SETUP, TEST]


def test_actions_are_official_and_pinned_to_a_commit():
    uses = [step["uses"] for job in ("build", "deploy") for step in _steps(job) if "uses" in step]
    names = {u.split("@")[0] for u in uses}
    assert {"actions/checkout", "actions/setup-python", "actions/cache", "actions/upload-pages-artifact",
            "actions/configure-pages", "actions/deploy-pages"} == names
    assert all(re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_the_books_cache_is_restored_before_the_build(monkeypatch):
    from rnnlib.book import cache
    from rnnlib.pipeline.store import repository_root

    steps = _steps("build")
    at = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache"))
    build = next(i for i, s in enumerate(steps) if s.get("run", "").strip() == SETUP)
    assert at < build
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)                  # the folder a build uses by default
    assert repository_root() / steps[at]["with"]["path"] == cache.cache_root()
    key = steps[at]["with"]["key"]
    assert all(f"'{part}" in key for part in ("chapters/", "rnnlib/", "data/paper/manifest.json"))


def test_least_privilege_and_deploy_only_from_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on:` as True
    assert {"push", "pull_request"} <= set(triggers)
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    setup_python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup_python["with"]["cache"] == "pip"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"


def test_ci_run_uses_the_same_browser_installer_and_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    lines = [line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert ".ci/install-browser" in lines
    assert lines[-1] == TEST  # the last command decides the exit status
