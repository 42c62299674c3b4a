""".ci/install-browser chooses the right installer (issue 20, item 1).

The script runs with stand-in commands: a temporary folder of fake ``apt-cache``, ``apt-get``, ``id``
and ``python`` that only record how they were called, and a second folder of symlinks to the few
real tools the script and the stand-ins use (bash, env, chmod, grep). PATH is just these two
folders, so no real package manager, Python or Chromium (which /usr/bin may hold) is reached and
nothing is installed.

The fake ``apt-cache`` prints a long answer (far more than a pipe holds) with the candidate near the
top: the old ``apt-cache policy chromium | grep -q 'Candidate: [0-9]'`` under ``set -o pipefail``
then fails (grep exits at its first match, apt-cache dies of SIGPIPE), and the script wrongly went
to Playwright on a Debian machine that offers chromium.

``INSTALL_BROWSER_SCRIPT=/path/to/other/script`` runs these tests against another version of the script.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(os.environ.get("INSTALL_BROWSER_SCRIPT", Path(__file__).resolve().parents[1] / ".ci" / "install-browser"))

#: Real tools the script (bash via env, grep in its old form) and the stand-ins (chmod) use.
TOOLS = ("bash", "env", "chmod", "grep")

#: apt-cache's answer on Debian 12, padded to thousands of lines (about 500 kB, far beyond a pipe's buffer).
PADDING = "".join(f"        500 http://deb.debian.org/debian bookworm/main amd64 Packages line {i}\n"
                  for i in range(6000))
POLICY_CANDIDATE = ("chromium:\n  Installed: (none)\n  Candidate: 1:120.0-1~deb12u1\n"
                    "  Version table:\n     1:120.0-1~deb12u1 500\n" + PADDING)
POLICY_NONE = "chromium:\n  Installed: (none)\n  Candidate: (none)\n  Version table:\n" + PADDING


def _write_executable(path, text):
    path.write_text(text)
    path.chmod(0o755)


@pytest.fixture
def sandbox(tmp_path):
    """Return a function run(uid, policy, chromium_present) -> (completed process, log lines)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in TOOLS:
        real = shutil.which(name)
        if real is None:
            pytest.skip(f"{name} not found")
        (tools / name).symlink_to(real)
    bash = os.path.realpath(shutil.which("bash"))
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    policy_file = tmp_path / "policy.txt"
    fake_chromium = f"#!{bash}\necho 'fake chromium'\n"

    _write_executable(stubs / "apt-cache", f'#!{bash}\nwhile IFS= read -r line; do printf "%s\\n" "$line"; done < "{policy_file}"\n')
    _write_executable(stubs / "apt-get", f"""#!{bash}
echo "apt-get $*" >> "{log}"
for arg in "$@"; do
    if [ "$arg" = install ]; then
        printf '%s' "{fake_chromium}" > "{stubs}/chromium"
        chmod 755 "{stubs}/chromium"
    fi
done
exit 0
""")
    _write_executable(stubs / "python", f'#!{bash}\necho "python $*" >> "{log}"\nexit 0\n')

    def run(uid, policy=POLICY_CANDIDATE, chromium_present=False):
        policy_file.write_text(policy)
        _write_executable(stubs / "id", f'#!{bash}\n[ "$1" = -u ] && echo {uid} || echo "uid={uid}"\n')
        if chromium_present:
            _write_executable(stubs / "chromium", fake_chromium)
        env = {"PATH": f"{stubs}:{tools}", "HOME": str(tmp_path), "LC_ALL": "C"}
        done = subprocess.run([str(SCRIPT)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30)
        calls = log.read_text().splitlines() if log.exists() else []
        return done, calls

    return run


def test_root_with_debian_candidate_installs_debian_chromium(sandbox):
    done, calls = sandbox(uid=0, policy=POLICY_CANDIDATE)
    assert done.returncode == 0, done.stderr
    assert calls[0].startswith("apt-get update"), calls
    installs = [c for c in calls if c.startswith("apt-get") and " install " in f"{c} "]
    assert len(installs) == 1 and installs[0].split()[-1] == "chromium", calls
    assert "-y" in installs[0].split()
    assert not [c for c in calls if c.startswith("python")], calls
    assert "Debian package" in done.stdout


def test_root_without_debian_candidate_uses_playwright_with_deps(sandbox):
    done, calls = sandbox(uid=0, policy=POLICY_NONE)
    assert done.returncode == 0, done.stderr
    assert not [c for c in calls if c.startswith("apt-get") and " install " in f"{c} "], calls
    assert calls[-1] == "python -m playwright install --with-deps chromium", calls


def test_not_root_uses_playwright_without_deps_and_no_apt(sandbox):
    done, calls = sandbox(uid=1000, policy=POLICY_CANDIDATE)
    assert done.returncode == 0, done.stderr
    assert calls == ["python -m playwright install chromium"]


def test_chromium_already_on_path_installs_nothing(sandbox):
    done, calls = sandbox(uid=0, policy=POLICY_CANDIDATE, chromium_present=True)
    assert done.returncode == 0, done.stderr
    assert calls == []
    assert "browser:" in done.stdout and "chromium" in done.stdout
