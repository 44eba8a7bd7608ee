"""Build the offline install bundles of ansheng, for office computers without a package index.

    python tools/build_bundle.py                      # both platforms, Python 3.11–3.13
    python tools/build_bundle.py --platform manylinux_x86_64 --python 3.11

Each bundle is ``dist/ansheng-<version>-offline-<platform>.zip`` holding one folder with the
ansheng wheel and every dependency wheel (``wheels/``), ``安装.bat`` (Windows: ``py -m pip install
--no-index --find-links``), ``install.sh`` (Linux, likewise) and ``安装说明.txt``. Building needs
the network (pip downloads the wheels); installing does not.

pip evaluates environment markers against the machine it runs on, not the target platform, so a
Linux build would leave out Windows-only dependencies (``colorama; platform_system ==
"Windows"``). The bundle's wheels are therefore closed over again with the target's markers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Target:
    name: str  # in the bundle's file name
    pip_platforms: tuple[str, ...]  # pip download --platform, each tag spelled out
    markers: dict[str, str]  # PEP 508 environment of the target, less python_*


TARGETS = {
    "win_amd64": Target(
        "win_amd64",
        ("win_amd64",),
        {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
         "platform_machine": "AMD64"},
    ),
    "manylinux_x86_64": Target(
        "manylinux_x86_64",
        # glibc 2.28 (麒麟 V10, 统信 UOS 20) and older; pip does not expand a tag downwards.
        (
            *(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)),
            "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64",
        ),
        {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
         "platform_machine": "x86_64"},
    ),
}  # fmt: skip

INSTALL_BAT = r"""@echo off
rem ansheng 离线安装：只从本文件夹的 wheels 中安装，不联网。
setlocal
cd /d "%~dp0"
set "PY=py -3"
where py >nul 2>nul || set "PY=python"
echo 正在安装 ansheng（使用 %PY%）……
%PY% -m pip install --no-index --find-links "%~dp0wheels" ansheng
if errorlevel 1 goto failed
echo.
echo 安装完成。请打开新的命令行窗口，输入 ansheng --version 检查。
echo 如果提示找不到 ansheng，可以用 %PY% -m ansheng_cli 代替 ansheng。
pause
exit /b 0
:failed
echo.
echo 安装失败。请查看上面的提示，并参阅“安装说明.txt”。
pause
exit /b 1
"""

INSTALL_SH = """#!/bin/sh
# ansheng 离线安装：只从本文件夹的 wheels 中安装，不联网。
# 用法：sh install.sh [pip 的其他选项，如 --user]；PYTHON=路径 指定 Python。
set -e
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
echo "正在安装 ansheng（使用 $py）……"
"$py" -m pip install --no-index --find-links "$here/wheels" "$@" ansheng
echo "安装完成。运行 ansheng --version 检查。"
"""

README = """ansheng {version} 离线安装包（{platform}）

本安装包适用于不能访问软件源的电脑（如政务内网）：ansheng 和它用到的全部组件都在 wheels 文件夹中，
安装时不联网。

一、安装前
  需要 Python 3.11、3.12 或 3.13（64 位）。
  Windows：从 python.org 下载安装程序，安装时勾选“Add python.exe to PATH”。
  Linux：一般已自带 python3；运行 python3 --version 查看版本。

二、安装
  Windows：解压本文件后，双击“安装.bat”。
    它运行的是：py -m pip install --no-index --find-links wheels ansheng
  Linux：在解压的文件夹中运行 sh install.sh
    它运行的是：python3 -m pip install --no-index --find-links wheels ansheng
    系统不允许直接安装时（提示 externally-managed-environment），先建一个虚拟环境：
      python3 -m venv ~/ansheng-env
      PYTHON=~/ansheng-env/bin/python sh install.sh
    以后用 ~/ansheng-env/bin/ansheng 运行。

三、检查
  打开新的命令行窗口，输入：ansheng --version
  提示找不到 ansheng 时，用 py -m ansheng_cli（Linux 为 python3 -m ansheng_cli）代替 ansheng。

四、常见问题
  解压后文件名是乱码：用 7-Zip、360压缩 或 Bandizip 解压。
  提示 No matching distribution：电脑上的 Python 版本不在 3.11–3.13 之内，或不是 64 位。
  升级：用新版本的离线安装包再安装一次即可。

使用方法见用户手册（快速开始）。
"""


def run(*args: str) -> None:
    subprocess.run(args, check=True)


def pip(*args: str) -> None:
    run(sys.executable, "-m", "pip", "--disable-pip-version-check", *args)


def build_wheel(out: Path) -> Path:
    """The ansheng wheel of this source tree."""
    pip("wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT))
    (wheel,) = out.glob("ansheng-*.whl")
    return wheel


def _requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def missing(wheels: Path, target: Target, python: str) -> list[str]:
    """Requirements of the bundled wheels, for the target, that no bundled wheel satisfies."""
    present: dict[str, list[str]] = {}
    for wheel in wheels.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        present.setdefault(name, []).append(str(version))
    env = {
        **target.markers,
        "python_version": python,
        "python_full_version": python + ".0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    wanted = []
    for wheel in wheels.glob("*.whl"):
        for text in _requirements(wheel):
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(env):
                continue
            versions = present.get(canonicalize_name(requirement.name), [])
            if not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
                requirement.marker = None
                wanted.append(str(requirement))
    return sorted(set(wanted))


def download(wheels: Path, target: Target, python: str, requirements: list[str]) -> None:
    platforms = [arg for p in target.pip_platforms for arg in ("--platform", p)]
    pip(
        "download", "--quiet", "--only-binary=:all:", *platforms, "--python-version", python,
        "--implementation", "cp", "--find-links", str(wheels), "-d", str(wheels), *requirements,
    )  # fmt: skip


def bundle(wheel: Path, target: Target, pythons: list[str], out: Path) -> Path:
    version = parse_wheel_filename(wheel.name)[1]
    name = f"ansheng-{version}-offline-{target.name}"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / name
        wheels = folder / "wheels"
        wheels.mkdir(parents=True)
        shutil.copy2(wheel, wheels / wheel.name)
        for python in pythons:
            download(wheels, target, python, [str(wheels / wheel.name)])
            for _ in range(10):  # close over the target's own markers
                extra = missing(wheels, target, python)
                if not extra:
                    break
                download(wheels, target, python, extra)
            else:
                raise SystemExit(f"依赖无法补齐：{extra}")
        # Windows tools read the .bat in the system code page (GBK on Chinese Windows).
        (folder / "安装.bat").write_bytes(INSTALL_BAT.replace("\n", "\r\n").encode("gbk"))
        (folder / "install.sh").write_text(INSTALL_SH, encoding="utf-8", newline="\n")
        (folder / "安装说明.txt").write_bytes(
            "\ufeff".encode()
            + README.format(version=version, platform=target.name).replace("\n", "\r\n").encode()
        )
        out.mkdir(parents=True, exist_ok=True)
        archive = out / f"{name}.zip"
        partial = archive.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                info = zipfile.ZipInfo.from_file(path, path.relative_to(folder.parent).as_posix())
                if path.name == "install.sh":
                    info.external_attr = (0o100755 << 16) if path.is_file() else info.external_attr
                if path.is_file():
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, path.read_bytes())
        os.replace(partial, archive)
    return archive


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description="生成 ansheng 的离线安装包")
    parser.add_argument(
        "--platform", choices=[*TARGETS, "all"], default="all", help="目标平台（默认两种都生成）"
    )
    parser.add_argument(
        "--python", default=",".join(PYTHONS), help="Python 版本，逗号分隔（默认 3.11,3.12,3.13）"
    )
    parser.add_argument("--wheel", type=Path, help="已构建好的 ansheng wheel（默认从源代码构建）")
    parser.add_argument(
        "-o", "--out", type=Path, default=ROOT / "dist", help="输出目录（默认 dist/）"
    )
    args = parser.parse_args(argv)
    pythons = [p.strip() for p in args.python.split(",") if p.strip()]
    if not all(re.fullmatch(r"3\.\d+", p) for p in pythons):
        parser.error(f"--python 写成 3.11,3.12 这样：{args.python}")
    targets = list(TARGETS.values()) if args.platform == "all" else [TARGETS[args.platform]]
    with tempfile.TemporaryDirectory() as scratch:
        wheel = args.wheel or build_wheel(Path(scratch))
        made = [bundle(wheel, target, pythons, args.out) for target in targets]
    for archive in made:
        print(f"已生成：{archive}（{archive.stat().st_size // 1024} KB）")
    return made


if __name__ == "__main__":
    main()
