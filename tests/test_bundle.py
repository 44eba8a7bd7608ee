"""The offline install bundle (tools/build_bundle.py): built, then installed with no index."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_bundle", ROOT / "tools" / "build_bundle.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bundle"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


builder = _builder()


def _wheel(folder: Path, name: str, version: str, requires: list[str]) -> Path:
    """A minimal wheel holding only its METADATA."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


def test_dependencies_are_closed_over_with_the_targets_markers(tmp_path: Path) -> None:
    _wheel(tmp_path, "ansheng", "0.1.0", ["typer>=0.26", "pytest; extra == 'dev'"])
    _wheel(tmp_path, "typer", "0.28.0", ['colorama; platform_system == "Windows"', "rich>=13"])
    _wheel(tmp_path, "rich", "14.0.0", ['pywin32; python_version < "3.11"'])
    windows = builder.TARGETS["win_amd64"]
    linux = builder.TARGETS["manylinux_x86_64"]
    assert builder.missing(tmp_path, windows, "3.11") == ["colorama"]
    assert builder.missing(tmp_path, linux, "3.11") == []
    assert builder.missing(tmp_path, linux, "3.10") == ["pywin32"]
    _wheel(tmp_path, "rich", "12.0.0", [])
    (tmp_path / "rich-14.0.0-py3-none-any.whl").unlink()
    assert builder.missing(tmp_path, linux, "3.11") == ["rich>=13"]


def test_installers_use_no_index(tmp_path: Path) -> None:
    bat = builder.INSTALL_BAT.replace("\n", "\r\n").encode("gbk")  # as written into the bundle
    assert b"-m pip install --no-index --find-links" in bat and b"py -3" in bat
    assert "--no-index --find-links" in builder.INSTALL_SH
    assert "安装.bat" in builder.README and "install.sh" in builder.README


@pytest.mark.slow
def test_linux_bundle_installs_without_an_index(tmp_path: Path) -> None:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    try:
        (archive,) = builder.main(
            ["--platform", "manylinux_x86_64", "--python", python, "-o", str(tmp_path / "dist")]
        )
    except subprocess.CalledProcessError as error:
        pytest.skip(f"could not download wheels (no network to the package index?): {error}")
    assert archive.name.startswith("ansheng-") and archive.name.endswith(
        "-offline-manylinux_x86_64.zip"
    )
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / archive.stem
    assert {"安装.bat", "install.sh", "安装说明.txt"} <= {n.rsplit("/", 1)[-1] for n in names}
    assert any(n.endswith(".whl") and "/wheels/ansheng-" in n for n in names)
    assert (folder / "安装.bat").read_bytes().decode("gbk").startswith("@echo off")
    assert (folder / "安装说明.txt").read_text(encoding="utf-8-sig").startswith("ansheng ")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    # No index anywhere: pip's own configuration (an extra index, find-links) is switched off.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PIP_")},
        "PIP_CONFIG_FILE": os.devnull,
        "PYTHON": str(bindir / "python"),
    }
    done = subprocess.run(
        ["sh", str(folder / "install.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    validate = subprocess.run(
        [str(bindir / "ansheng"), "validate", "data", "--strict"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "0 个错误" in validate.stdout + validate.stderr
