"""The command line as a process of its own: whatever it skips at exit (tearing the
interpreter down) and at start-up (collecting garbage), its outputs are whole, its
exit codes right and its exit handlers run."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import readout
from readout.writers import FORMATS

from .conftest import SEED

_READOUT = [sys.executable, "-m", "readout"]


@cache
def expected(template: str, fmt: str) -> bytes:
    return readout.render(readout.load(SEED), template, fmt)


def readout_process(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*_READOUT, *args], capture_output=True, check=False,
                          **kwargs)  # type: ignore[call-overload]


def python(code: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, **kwargs)  # type: ignore[call-overload]


def test_rendered_files_are_whole_and_the_same_as_in_process(tmp_path: Path) -> None:
    done = readout_process("render", str(SEED), "-t", "press-release", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{SEED.stem}.press-release.{f}" for f in FORMATS)
    for name in written:
        fmt = name.rsplit(".", 1)[1]
        assert (tmp_path / name).read_bytes() == expected("press-release", fmt), name
    assert done.stdout.decode().splitlines() == [f"wrote {tmp_path / n}" for n in
                                                 [f"{SEED.stem}.press-release.{f}"
                                                  for f in FORMATS]]


_UNUSED_AT_EXIT = """
import atexit, runpy, sys
atexit.register(lambda: print("RAN:", ",".join(sorted(
    n for n in ("PIL.ImageMode", "uharfbuzz._harfbuzz") if n in sys.modules)), file=sys.stderr))
sys.argv = ["readout", *sys.argv[1:]]
runpy.run_module("readout", run_name="__main__")
"""


@pytest.mark.parametrize(("sample", "ran"), [
    ("2025-06-26-qingdao-in-ru.yaml", ""),  # English: no shaping; the emblem cached
    ("2025-06-26-qingdao-in-ru.hi.yaml", "uharfbuzz._harfbuzz"),  # Devanagari: shaped
])
def test_a_command_runs_pillow_and_harfbuzz_only_when_it_uses_them(
        tmp_path: Path, sample: str, ran: str) -> None:
    path = SEED.parent / sample
    for _ in range(2):  # the first run fills the caches, the second reads them
        out = tmp_path / "out.pdf"
        done = subprocess.run([sys.executable, "-c", _UNUSED_AT_EXIT, "render", str(path),
                               "-f", "pdf", "-t", "press-release", "-o", str(out)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    assert done.stderr.rsplit("RAN:", 1)[1].strip() == ran
    assert out.read_bytes() == readout.render(readout.load(path), "press-release", "pdf")


def test_validate_runs_no_socket_code() -> None:
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: print('SOCKET:', type(sys.modules['socket']).__name__,"
            " file=sys.stderr))\n"
            f"sys.argv = ['readout', 'validate', {str(SEED)!r}]\n"
            "runpy.run_module('readout', run_name='__main__')\n")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stderr.rsplit("SOCKET:", 1)[1].strip() == "_LaterModule"


def test_a_document_to_standard_output_arrives_whole() -> None:
    done = readout_process("render", str(SEED), "-t", "internal-brief", "-f", "pdf",
                           "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected("internal-brief", "pdf")


@pytest.mark.parametrize(("args", "code", "said"), [
    (["validate", str(SEED)], 0, "1 file(s) checked: 0 error(s), 0 warning(s)."),
    (["render", "missing.yaml"], 2, "missing.yaml: The file does not exist."),
    (["render", str(SEED), "-t", "no-such-template", "-o", "-", "-f", "pdf"], 2,
     "no-such-template"),
])
def test_exit_codes_and_messages_are_those_of_the_command(
        args: list[str], code: int, said: str) -> None:
    done = readout_process(*args)
    assert done.returncode == code
    assert said in done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_a_readout_with_errors_exits_1_with_every_problem_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: readout/1\ntitle: A title\nsummary: 12\n", "utf-8")
    done = readout_process("validate", str(bad))
    assert done.returncode == 1
    assert done.stdout.decode().startswith(f"{bad}:")
    assert "error(s)" in done.stderr.decode()


# Standard output buffered, as it is for most users, so that the exit must flush it.
_BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

_COMMAND = """
import atexit, sys
from pathlib import Path
from readout.startup import run_command
atexit.register(lambda: Path(sys.argv[1]).write_text("handled"))
def command():
    print("printed, not yet flushed", end="")
    {body}
run_command(command)
"""


@pytest.mark.parametrize(("body", "code"), [
    ("", 0), ("sys.exit(3)", 3), ("sys.exit(None)", 0), ("raise SystemExit(256 + 7)", 7)])
def test_exit_handlers_run_and_output_is_flushed(tmp_path: Path, body: str,
                                                 code: int) -> None:
    marker = tmp_path / "marker"
    done = subprocess.run(
        [sys.executable, "-c", _COMMAND.format(body=body), str(marker)],
        capture_output=True, text=True, check=False, env=_BUFFERED)
    assert done.returncode == code, done.stderr
    assert done.stdout == "printed, not yet flushed"
    assert marker.read_text() == "handled"


def test_a_message_as_exit_code_is_printed_and_exits_1(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _COMMAND.format(body="sys.exit('It went wrong.')"),
         str(tmp_path / "marker")], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (1, "It went wrong.\n")


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    body = ("import threading, time; threading.Thread(target=lambda: (time.sleep(0.3), "
            "Path(sys.argv[1] + '.thread').write_text('done'))).start()")
    done = subprocess.run([sys.executable, "-c", _COMMAND.format(body=body), str(marker)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert Path(f"{marker}.thread").read_text() == "done"


def test_output_that_cannot_be_flushed_exits_120_as_python_does(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the flush at exit fails
    try:
        done = subprocess.run(
            [sys.executable, "-c", _COMMAND.format(body=""), str(tmp_path / "marker")],
            stdout=write_end, stderr=subprocess.PIPE, check=False, env=_BUFFERED)
    finally:
        os.close(write_end)
    assert done.returncode == 120


def test_the_collector_is_off_in_a_command_and_back_for_a_long_one() -> None:
    done = python("import gc; from readout.startup import run_command, collect_garbage\n"
                  "def command():\n"
                  "    import readout.api\n"
                  "    print(gc.isenabled())\n"
                  "    collect_garbage()\n"
                  "    import readout.rendering\n"
                  "    print(gc.isenabled())\n"
                  "run_command(command)")
    assert done.stdout.split() == ["False", "True"], done.stderr


@pytest.mark.parametrize(("before", "after"), [("", "True"), ("gc.disable()", "False")])
def test_importing_readout_leaves_the_collector_as_it_was(before: str, after: str) -> None:
    done = python(f"import gc; {before}\nimport readout.api, readout.cli, readout.rendering\n"
                  "print(gc.isenabled())")
    assert done.stdout.strip() == after, done.stderr


_LATER = """
import sys, threading
sys.path.insert(0, sys.argv[1])
from readout import startup
startup.LATER = frozenset({"slow", "broken", "circular"})
def command():
    import slow, circular
    print(type(slow).__name__, "ran" if "slow_ran" in sys.modules else "waiting")
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(slow.VALUE)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(seen, sys.modules["slow_ran"].times, type(slow).__name__)
    print(circular.SECOND)
    import broken
    try:
        broken.ANYTHING
    except RuntimeError as exc:
        print("raised", exc, "broken" in sys.modules)
run_command = startup.run_command
run_command(command)
"""


def test_a_later_module_runs_once_on_first_use_in_any_thread(tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text(
        "import sys, time, types\n"
        "ran = sys.modules.setdefault('slow_ran', types.ModuleType('slow_ran'))\n"
        "ran.times = getattr(ran, 'times', 0) + 1\n"
        "time.sleep(0.2)\n"
        "VALUE = 42\n", "utf-8")
    (tmp_path / "circular.py").write_text("FIRST = 1\nimport circular\n"
                                          "SECOND = circular.FIRST + 1\n", "utf-8")
    (tmp_path / "broken.py").write_text("raise RuntimeError('it cannot load')\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _LATER, str(tmp_path)], capture_output=True, text=True,
        check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["_LaterModule waiting", "[42, 42, 42, 42] 1 module",
                                        "2", "raised it cannot load False"]


def test_outside_a_command_pillow_runs_on_import() -> None:
    done = python("import sys, readout.rendering, reportlab.platypus\n"
                  "print(type(sys.modules['PIL.Image']).__name__)")
    assert done.stdout.strip() == "module", done.stderr


def test_a_daemon_thread_does_not_hold_the_exit(tmp_path: Path) -> None:
    body = ("import threading, time; threading.Thread(target=lambda: (time.sleep(30), "
            "Path(sys.argv[1] + '.thread').write_text('done')), daemon=True).start()")
    done = subprocess.run([sys.executable, "-c", _COMMAND.format(body=body),
                           str(tmp_path / "marker")], capture_output=True, text=True,
                          check=False, timeout=20)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "marker").read_text() == "handled"
    assert not Path(f"{tmp_path / 'marker'}.thread").exists()
