"""Output paths: ccsim writes an output folder only where it is new, empty or an earlier
output of ccsim — never over the scenario file, a device or a folder of other files —
and says so in one line before any work (`ccsim.atomic`, docs/cli.md)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import openpyxl
import pytest

from ccsim import atomic, load, save, simulate, write_report
from ccsim.atomic import OutputError, atomic_folder, check_file, check_folder
from ccsim.report import folders
from ccsim.report import model as reports
from conftest import SCENARIOS
from test_cli import ccsim

SHOP = str(SCENARIOS / "small_shop.yaml")


def usage_error(r, text: str) -> None:
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [f"ccsim: error: {text}"]


def test_out_naming_the_scenario_file_leaves_it_untouched(tmp_path):
    scenario = tmp_path / "shop.yaml"
    scenario.write_text((SCENARIOS / "small_shop.yaml").read_text())
    before = scenario.read_bytes()
    r = ccsim("run", str(scenario), "-n", "2", "-q", "--out", str(scenario), cwd=tmp_path)
    usage_error(r, f"--out {scenario}: exists and is not a folder")
    assert scenario.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.yaml"]  # nothing beside it


@pytest.mark.parametrize("out", [".", "work"])
def test_out_naming_a_folder_of_other_files_is_refused(tmp_path, out):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine")
    cwd = work if out == "." else tmp_path
    r = ccsim("plan", SHOP, "-n", "2", "--verify", "2", "--out", out, cwd=cwd)
    usage_error(
        r,
        f"--out {work}: a folder of other files — ccsim replaces only an empty folder or one "
        "it wrote; give a new folder",
    )
    assert [p.name for p in work.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_an_earlier_output_folder_is_replaced(tmp_path):
    out = tmp_path / "run"
    for _ in range(2):
        r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
        assert r.returncode == 0, r.stderr
    assert (out / "run.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # nothing left beside it


def test_out_below_a_file_and_junit_naming_a_folder_are_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(tmp_path / "f" / "sub"))
    usage_error(r, f"--out {tmp_path / 'f' / 'sub'}: {tmp_path / 'f'} is not a folder")
    r = ccsim("check", SHOP, "-n", "2", "-q", "--junit", str(tmp_path))
    usage_error(r, f"--junit {tmp_path}: is a folder; give a file name")


def test_the_python_api_refuses_the_same_paths(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="a folder of other files"), atomic_folder(tmp_path):
        pass
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        check_file(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_new_output_folder_named_like_a_file_is_refused_and_an_existing_one_is_not(tmp_path):
    # `save(r, "out.xlsx")` made a folder out.xlsx/ holding run.json, summary.csv, …
    # (a notebook walkthrough); `--out x.json` did the same from the command line
    r = simulate(load(SHOP), 1, seed=1, workers=1)
    with pytest.raises(OutputError, match=r"out\.xlsx: names a \.xlsx file, .*e\.g\. .*out$"):
        save(r, tmp_path / "out.xlsx", report=True)
    usage_error(
        ccsim("run", SHOP, "-n", "1", "-q", "--out", str(tmp_path / "run.JSON")),
        f"--out {tmp_path / 'run.JSON'}: names a .JSON file, and ccsim writes an output folder "
        f"here, its files inside; give a folder's name, e.g. {tmp_path / 'run'}",
    )
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "week.2026.csv").mkdir()  # a folder the user made is theirs to name
    assert save(r, tmp_path / "week.2026.csv").name == "week.2026.csv"
    assert save(r, tmp_path / "v1.2").name == "v1.2"  # and a version is no file's suffix
    with pytest.raises(TypeError, match=r"got Result: .*ccsim\.save\(it, folder, report=True\)"):
        write_report(r)  # (pathlib's "expected str, bytes or os.PathLike object, not Result")


def test_a_link_to_a_folder_replaces_the_folder_it_names(tmp_path):
    real = tmp_path / "results"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(tmp_path / "link"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "link").is_symlink() and (real / "run.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "results"]


@pytest.mark.parametrize("inside", ["x.yaml", ""])
def test_a_fitted_scenario_inside_the_report_folder_is_refused_before_the_fit(tmp_path, inside):
    # the report replaces its folder whole: the scenario just written there would go
    # (before: the fit ran, wrote the scenario, then failed on the report folder)
    log = tmp_path / "log.csv"
    log.write_text("not read\n")
    report = tmp_path / "rep"
    output = report / inside if inside else report
    r = ccsim(
        "fit", str(log), "--from", "2024-01-01", "--to", "2024-01-07",
        "-o", str(output), "--report", str(report),
    )  # fmt: skip
    usage_error(r, f"--output {output} is inside the --report folder {report}: write it elsewhere")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]


def test_an_earlier_output_holding_a_file_of_the_users_is_not_replaced(tmp_path):
    # it was replaced whole: a notebook put beside run.json was lost on the next run
    out = tmp_path / "run"
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr
    listed = dict(
        line.partition("\t")[::2] for line in (out / ".ccsim-output").read_text().splitlines()
    )
    assert len(listed["run.json"]) == 64  # its name and the SHA-256 of what was written
    (out / "analysis.ipynb").write_text("mine")
    (out / "charts").mkdir()
    (out / "charts" / "mine.png").write_bytes(b"png")
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    usage_error(
        r,
        f"--out {out}: holds files ccsim did not write (analysis.ipynb, charts/mine.png) — "
        "move them out or give a new folder",
    )
    assert (out / "analysis.ipynb").read_text() == "mine" and (out / "run.json").is_file()
    (out / "analysis.ipynb").unlink()
    (out / "charts" / "mine.png").unlink()
    (out / "charts").rmdir()
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr


def test_what_ccsim_writes_into_its_folders_and_file_browser_litter_do_not_block_a_rerun(
    tmp_path,
):
    # `ccsim report DIR` adds report.xlsx/.html after the folder's list was written: the
    # next run into DIR was refused
    out = tmp_path / "run"
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert ccsim("report", str(out)).returncode == 0
    (out / ".DS_Store").write_bytes(b"\0")
    (out / "Thumbs.db").write_bytes(b"\0")
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr


def test_a_folder_without_a_list_a_link_or_an_empty_folder_of_the_users_is_not_replaced(
    tmp_path,
):
    out = tmp_path / "old"
    out.mkdir()
    (out / "run.json").write_text("{}")  # an output written before outputs had a list
    (out / "summary.csv").write_text("")
    with atomic_folder(out) as tmp:  # only ccsim's names: replaced
        (tmp / "run.json").write_text("{}")
    (out / "analysis.ipynb").write_text("mine")
    (out / ".ccsim-output").unlink()  # as if written before the list existed
    with pytest.raises(OutputError, match=r"holds files ccsim did not write \(analysis.ipynb\)"):
        check_folder(out)
    (out / "analysis.ipynb").unlink()
    (out / "data").symlink_to(tmp_path)
    (out / "empty").mkdir()
    with pytest.raises(OutputError, match=r"did not write \(data, empty/\)"):
        check_folder(out)
    assert (out / "data").is_symlink() and (out / "empty").is_dir()


def test_a_file_saved_into_the_folder_while_ccsim_writes_is_kept(tmp_path):
    # and so is the new output, beside it (it was thrown away until 2026-12-05)
    out = tmp_path / "run"
    with atomic_folder(out) as tmp:
        (tmp / "run.json").write_text("1")
    (tmp_path / "run-2").mkdir()  # taken
    kept = tmp_path / "run-3"
    refused = pytest.raises(
        OutputError,
        match=rf"did not write \(notes.txt\).*while ccsim worked; the new output is in {kept}$",
    )
    with refused, atomic_folder(out) as tmp:
        (tmp / "run.json").write_text("2")
        (out / "notes.txt").write_text("mine")  # saved while the new output is made
    assert (out / "notes.txt").read_text() == "mine" and (out / "run.json").read_text() == "1"
    assert (kept / "run.json").read_text() == "2" and (kept / ".ccsim-output").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run-2", "run-3"]


def test_a_file_saved_into_the_folder_during_the_work_before_the_write_is_kept(tmp_path):
    # a command checks --out before it simulates; a file saved there during the
    # simulation was refused when the output was written, and the output thrown away
    out = tmp_path / "run"
    with atomic_folder(out) as tmp:
        (tmp / "run.json").write_text("1")
    check_folder(out)  # the command's check, before its work
    (out / "notes.txt").write_text("mine")  # saved during the simulation
    with (
        pytest.raises(OutputError, match=r"while ccsim worked; the new output is in .*run-2$"),
        atomic_folder(out) as tmp,
    ):
        (tmp / "run.json").write_text("2")
    assert (out / "notes.txt").read_text() == "mine" and (out / "run.json").read_text() == "1"
    assert (tmp_path / "run-2" / "run.json").read_text() == "2"
    # a folder not checked before (a second save from a notebook): refused before writing
    refused = pytest.raises(OutputError, match=r"did not write \(notes.txt\) — move them out")
    with refused, atomic_folder(out):
        raise AssertionError("not reached")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run-2"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_a_place_no_file_can_be_made_in_is_refused_before_the_work(tmp_path):
    # /proc (no file can be made there, not even by root): a traceback after the whole
    # simulation
    for check in (check_folder, check_file):
        with pytest.raises(OutputError, match=r"^/proc/ccsim-out: cannot write there \("):
            check(Path("/proc/ccsim-out"))
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "-n", "1", "--out", "/proc/ccsim-out")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "ccsim: error: --out /proc/ccsim-out: cannot write there (no file can be made in "
        "/proc: No such file or directory)"
    )


def test_check_junit_does_not_replace_a_file_it_did_not_write(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text((SCENARIOS / "small_shop.yaml").read_text())
    r = ccsim("check", str(scenario), "-n", "1", "--junit", str(scenario))
    assert r.returncode == 2 and "exists and was not written by ccsim" in r.stderr
    assert scenario.read_text() == (SCENARIOS / "small_shop.yaml").read_text()
    junit = tmp_path / "j.xml"
    for _ in range(2):  # its own: replaced
        r = ccsim("check", str(scenario), "-n", "1", "--junit", str(junit))
        assert r.returncode in (0, 1) and junit.read_text().count("<testsuites") == 1


def test_a_name_taken_while_the_new_output_is_kept_beside_is_skipped(tmp_path, monkeypatch):
    # another process took run-2 between the look and the rename: a traceback, and the
    # temporary folder was left behind
    out = tmp_path / "run"
    with atomic_folder(out) as tmp:
        (tmp / "run.json").write_text("1")
    rename = Path.rename

    def racing(self, target):
        if Path(target).name == "run-2" and not Path(target).exists():
            Path(target).mkdir()
            (Path(target) / "theirs").write_text("")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", racing)
    with (
        pytest.raises(OutputError, match=r"the new output is in .*run-3$"),
        atomic_folder(out) as tmp,
    ):
        (tmp / "run.json").write_text("2")
        (out / "notes.txt").write_text("mine")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run-2", "run-3"]
    assert (tmp_path / "run-3" / "run.json").read_text() == "2"


def test_the_current_folder_and_a_mount_point_are_refused_before_the_work(tmp_path, monkeypatch):
    # an empty current folder was replaced: the shell (or a notebook) stood in a
    # deleted folder; a mount point refused the rename after the whole work
    here = tmp_path / "here"
    here.mkdir()
    r = ccsim("run", SHOP, "-n", "1", "-q", "--out", ".", cwd=here)
    usage_error(
        r,
        f"--out {here}: the current folder — ccsim replaces an output folder whole; give a "
        f"new folder, e.g. {here / 'run'}",
    )
    assert list(here.iterdir()) == []
    with atomic_folder(tmp_path / "run") as tmp:  # an earlier output, a folder inside
        (tmp / "sub").mkdir()
        (tmp / "sub" / "x.csv").write_text("1")
    monkeypatch.chdir(tmp_path / "run" / "sub")
    with pytest.raises(OutputError, match=r"run: the current folder holds it — "):
        check_folder(tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    mounted = tmp_path / "volume"
    mounted.mkdir()
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == mounted or real(p))
    with pytest.raises(OutputError, match=r"volume: a mount point — .*e\.g\. .*volume/run$"):
        check_folder(mounted)
    check_folder(mounted / "run")  # inside it: fine

    # a current folder deleted (where the old `--out .` left a shell): a traceback
    def gone():
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(Path, "cwd", staticmethod(gone))
    with atomic_folder(tmp_path / "again") as tmp:
        (tmp / "run.json").write_text("1")
    assert check_folder(tmp_path / "again") == tmp_path / "again"


def test_an_output_that_cannot_replace_its_folder_is_kept_beside_it(tmp_path, monkeypatch):
    # found only when the new output is renamed into place (EBUSY): it was thrown away
    out = tmp_path / "run"
    out.mkdir()
    rename = Path.rename

    def busy(self, target):
        if self == out:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", busy)
    with (
        pytest.raises(
            OutputError,
            match=rf"run: cannot write there \(Device or resource busy\) — the new output is "
            rf"in {tmp_path / 'run-2'}$",
        ),
        atomic_folder(out) as tmp,
    ):
        (tmp / "run.json").write_text("2")
    assert (tmp_path / "run-2" / "run.json").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "run-2"]


def test_a_folder_that_is_not_an_output_is_refused_without_walking_it(tmp_path, monkeypatch):
    # `--out /` listed every file on every disk (68 s, 547 MB) before refusing it
    home = tmp_path / "home"
    (home / "deep" / "deeper").mkdir(parents=True)
    (home / "deep" / "deeper" / "notes.txt").write_text("mine")

    def walk(*args, **kwargs):
        raise AssertionError("the folder was walked")

    monkeypatch.setattr(atomic.os, "walk", walk)
    with pytest.raises(OutputError, match="a folder of other files"):
        check_folder(home)
    monkeypatch.undo()
    ours = tmp_path / "ours"  # an output of ours with many files of the user's: 3 named
    with atomic_folder(ours) as tmp:
        (tmp / "run.json").write_text("{}")
    for i in range(50):
        (ours / f"mine{i:02}.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"did not write \(mine\d\d.txt, mine\d\d.txt, "):
        check_folder(ours)


def test_a_report_that_fills_the_disk_leaves_neither_file_new(tmp_path, monkeypatch):
    # the workbook replaced the old one, then the page failed: a new report.xlsx beside
    # the old report.html (seen on a full 600 KB tmpfs)
    small = load(SCENARIOS / "small_shop.yaml")
    folder = save(simulate(small, 1, seed=1), tmp_path / "run", report=True)
    other = reports.read(save(simulate(small, 1, seed=2), tmp_path / "other"))
    before = {n: (folder / n).read_bytes() for n in ("report.xlsx", "report.html")}
    write_text = Path.write_text

    def full(self, text, *args, **kwargs):
        if self.name.startswith(".report.html."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_text(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OutputError, match=r"report\.html: cannot write there \(No space left"):
        folders.write_report(folder, other)
    assert {n: (folder / n).read_bytes() for n in before} == before
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".report")]
    monkeypatch.undo()

    # nor when one of the two places is taken meanwhile (here by a folder): the page was
    # replaced before the workbook's place was checked again
    def taken(self, text, *args, **kwargs):
        if self.name.startswith(".report.html."):
            (folder / "report.xlsx").unlink()
            (folder / "report.xlsx").mkdir()
        return write_text(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", taken)
    with pytest.raises(OutputError, match=r"report\.xlsx: is a folder"):
        folders.write_report(folder, other)
    assert (folder / "report.html").read_bytes() == before["report.html"]
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".report")]
    monkeypatch.undo()
    (folder / "report.xlsx").rmdir()
    folders.write_report(folder, other)  # (the test means something: the bytes differ)
    assert (folder / "report.xlsx").read_bytes() != before["report.xlsx"]
    assert (folder / "report.html").read_bytes() != before["report.html"]


def test_a_file_of_an_output_edited_since_ccsim_wrote_it_is_not_replaced(tmp_path):
    # a manager's notes typed into report.xlsx were replaced by the next run's workbook,
    # and by `ccsim report` (a notebook walkthrough, 2026-12-07)
    out = tmp_path / "run"
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out), "--report")
    assert r.returncode == 0, r.stderr
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out), "--report")
    assert r.returncode == 0, r.stderr  # as written: replaced
    book = openpyxl.load_workbook(out / "report.xlsx")
    book["Summary"]["A1"] = "EDITED BY MANAGER"
    book.save(out / "report.xlsx")
    r = ccsim("report", str(out))
    assert r.returncode == 1 and r.stderr.strip() == (  # as for a file of the user's there
        f"ccsim: error: {out / 'report.xlsx'}: edited since ccsim wrote it — move it out "
        "(ccsim replaces its own files only as it wrote them)"
    )
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    usage_error(
        r,
        f"--out {out}: report.xlsx edited since ccsim wrote it — move it out or give a new folder",
    )
    assert openpyxl.load_workbook(out / "report.xlsx")["Summary"]["A1"].value == "EDITED BY MANAGER"
    (out / "report.xlsx").unlink()  # moved out: the folder is ccsim's again
    r = ccsim("report", str(out))
    assert r.returncode == 0, r.stderr
    r = ccsim("run", SHOP, "-n", "2", "-q", "--out", str(out))
    assert r.returncode == 0, r.stderr
