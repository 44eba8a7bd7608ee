"""一轮督办: a round of progress sheets, recorded in the data repository.

``export --to progress-xlsx --round NAME -o FOLDER/`` writes every unit's sheet and a small
record ``data/progress/<NAME>.yaml`` (reviewed in git like the plans): the as-of date, the
return date, and per unit the file sent, its check code and task count. ``progress import``
notes in it who returned what and when; ``progress status`` reads it (已报送 / 部分报送 /
未报送, late returns).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import AnshengError, FileProblem, UsageProblem

if TYPE_CHECKING:
    from ansheng_cli.plan.compiled import Assignment, Plan
    from ansheng_cli.supervise.lights import LightRule

ROUND_SCHEMA = "ansheng/round-v1"
FOLDER = Path("data") / "progress"
RETURNED, PARTIAL, MISSING = "已报送", "部分报送", "未报送"


@dataclass
class Sent:
    """One unit's sheet in a round, and what came back."""

    unit: str  # as lists show it (with the jurisdiction when several)
    file: str
    code: str
    tasks: int
    jurisdiction: str | None = None
    returned: dt.date | None = None  # first return
    filled: int = 0  # rows filled in the returned sheets (the most of any return)

    @property
    def state(self) -> str:
        if self.returned is None:
            return MISSING
        return RETURNED if self.filled >= self.tasks else PARTIAL


@dataclass
class Round:
    name: str
    as_of: dt.date
    sent: dt.date
    return_by: dt.date | None = None
    units: list[Sent] = field(default_factory=list)

    def late(self, sent: Sent) -> bool:
        return bool(self.return_by and sent.returned and sent.returned > self.return_by)

    def unit(self, name: str) -> Sent | None:
        return next((s for s in self.units if s.unit == name), None)

    def as_data(self) -> dict[str, Any]:
        def unit(s: Sent) -> dict[str, Any]:
            out: dict[str, Any] = {"unit": s.unit}
            if s.jurisdiction:
                out["jurisdiction"] = s.jurisdiction
            out |= {"file": s.file, "code": s.code, "tasks": s.tasks}
            if s.returned:
                out |= {"returned": s.returned, "filled": s.filled}
            return out

        data: dict[str, Any] = {"schema": ROUND_SCHEMA, "round": self.name, "as_of": self.as_of,
                                "sent": self.sent}  # fmt: skip
        if self.return_by:
            data["return_by"] = self.return_by
        data["units"] = [unit(s) for s in self.units]
        return data


def record_path(root: Path, name: str) -> Path:
    from ansheng_cli.export import sanitise

    return root / FOLDER / f"{sanitise(name, 120)}.yaml"


def repository_root(paths: list[str]) -> Path:
    """The data repository the plans lie in (where rounds are recorded)."""
    from ansheng_cli.plan.registry import data_root

    for given in paths:
        root = data_root(Path(given))
        if root is not None:
            return root
    raise UsageProblem("找不到数据仓库（含 data/ 目录或 ansheng.toml 的目录），无法记录督办轮次")


def _date(value: Any, what: str, path: Path) -> dt.date | None:
    from ansheng_cli.plan.models import as_date

    if value is None:
        return None
    found = as_date(value)
    if found is None:
        raise FileProblem(f"{path} 中 {what}“{value}”不是日期（YYYY-MM-DD）")
    return found


def load_round(path: Path) -> Round:
    """A round record; a file that is not one is refused with its name, and the line or the
    field that is wrong."""
    from ansheng_cli.plan.loader import load_file

    loaded = load_file(path)
    data = loaded.data
    if not loaded.ok or data is None:
        issue = loaded.issues[0] if loaded.issues else None
        where = f"{path}:{issue.line}" if issue else str(path)
        raise FileProblem(
            f"{where}: 督办轮次记录无法读取：{issue.message if issue else '文件为空'}"
        )
    if not isinstance(data, dict) or data.get("schema") != ROUND_SCHEMA:
        raise FileProblem(f"{path} 不是督办轮次记录（应以 schema: {ROUND_SCHEMA} 开头）")

    def wrong(what: str) -> FileProblem:
        return FileProblem(
            f"{path} 中的督办轮次记录有误：{what}（该文件由 ansheng 生成，请勿手工改动）"
        )

    name, units = data.get("round"), data.get("units") or []
    if not isinstance(name, str) or not name.strip():
        raise wrong("round 应为轮次名称")
    if not isinstance(units, list) or not all(isinstance(u, dict) for u in units):
        raise wrong("units 应为单位列表")
    sent = []
    for i, u in enumerate(units, start=1):
        unit, tasks, filled = u.get("unit"), u.get("tasks", 0), u.get("filled", 0)
        if not isinstance(unit, str) or not unit.strip():
            raise wrong(f"第 {i} 个单位没有 unit")
        if not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (tasks, filled)
        ):
            raise wrong(f"{unit} 的 tasks、filled 应为非负整数")
        jurisdiction = u.get("jurisdiction")
        sent.append(
            Sent(unit, str(u.get("file") or ""), str(u.get("code") or ""), tasks,
                 jurisdiction if isinstance(jurisdiction, str) else None,
                 _date(u.get("returned"), "returned", path), filled)
        )  # fmt: skip
    if data.get("as_of") is None:
        raise wrong("缺少 as_of")
    return Round(
        name,
        _date(data["as_of"], "as_of", path) or dt.date.min,
        _date(data.get("sent"), "sent", path) or dt.date.min,
        _date(data.get("return_by"), "return_by", path),
        sent,
    )


def save_round(path: Path, record: Round) -> None:
    """Write the record. An existing one is updated in place (round-trip): comments an office
    added (``# 已电话催报``), its line endings and a BOM stay as they were."""
    import io

    from ansheng_cli.atomic import write_bytes_atomic
    from ansheng_cli.plan.yamlio import round_trip

    yaml = round_trip()
    fresh = record.as_data()
    raw = path.read_bytes() if path.is_file() else b""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\r\n", "\n")
    data = _updated(yaml, text, fresh) if raw else None
    if raw and data is None:
        raise FileProblem(f"{path} 无法在保留其中注释的情况下更新，未改动：请把注释移到单独的行")
    out = io.StringIO()
    if data is None:
        out.write(f"# 督办轮次：{record.name}（由 ansheng 记录，请勿手工改动 code）\n")
        data = fresh
    yaml.dump(data, out)
    written = out.getvalue()
    if b"\r\n" in raw:
        written = written.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, bom + written.encode("utf-8"))


def _updated(yaml: Any, text: str, fresh: dict[str, Any]) -> Any:
    """The record as read (round-trip) with ``fresh``'s values set in place: top keys, and
    each unit's entry matched by its name; None when the text is not one to update."""
    from ansheng_cli.plan.yamlio import YamlProblem, load, lost_comments

    try:
        data = load(yaml, text)
    except YamlProblem:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("units") or [], list):
        return None
    for key, value in fresh.items():
        if key != "units" and data.get(key) != value:
            data[key] = value
    units = data.get("units")
    if units is None:
        units = data["units"] = []
    by_name = {u.get("unit"): u for u in units if isinstance(u, dict)}
    for entry in fresh["units"]:
        old = by_name.get(entry["unit"])
        if old is None:
            units.append(entry)
            continue
        for key, value in entry.items():
            if old.get(key) != value:
                old[key] = value
    import io

    check = io.StringIO()
    yaml.dump(data, check)
    return None if lost_comments(text, check.getvalue()) else data


def all_rounds(root: Path) -> list[tuple[Path, Round]]:
    """The rounds recorded in a data repository, oldest first. A record that cannot be read,
    or two records of one round, is an error: a round silently left out would change who
    counts as 未报送 in status, 催办单 and 考核."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found = [(p, load_round(p)) for p in sorted(folder.glob("*.yaml"))]
    seen: dict[str, Path] = {}
    for path, record in found:
        if record.name in seen:
            raise FileProblem(
                f"{seen[record.name]} 和 {path} 记录的是同一督办轮次“{record.name}”：请删去其中一个"
            )
        seen[record.name] = path
    return sorted(found, key=lambda pair: (pair[1].sent, pair[1].name))


def recorded(paths: list[str]) -> list[tuple[Path, Round]]:
    """The rounds of the data repository ``paths`` lie in; none outside a repository."""
    try:
        return all_rounds(repository_root(paths))
    except UsageProblem:
        return []


def chosen(paths: list[str], name: str | None) -> Round | None:
    """The round named, else the latest one; None when none was started and none named.
    (The records are read once.)"""
    try:
        rounds = all_rounds(repository_root(paths))
    except UsageProblem:
        if name is None:
            return None
        raise
    if not rounds and name is None:
        return None
    return _pick(rounds, name)[1]


def find_round(root: Path, name: str | None) -> tuple[Path, Round]:
    """The round named (by its name or file stem), or the latest one."""
    return _pick(all_rounds(root), name)


def _pick(rounds: list[tuple[Path, Round]], name: str | None) -> tuple[Path, Round]:
    if not rounds:
        raise UsageProblem(
            "还没有督办轮次：先运行 ansheng export --to progress-xlsx --round 轮次名称 -o 目录/"
        )
    if name is None:
        return rounds[-1]
    for path, record in rounds:
        if name in (record.name, path.stem):
            return path, record
    known = "、".join(r.name for _, r in rounds)
    raise UsageProblem(f"没有名为“{name}”的督办轮次（已有：{known}）")


def _folded(name: str) -> str:
    """A name as a person reads it: R1, r1 and Ｒ１ are one round."""
    import unicodedata

    return unicodedata.normalize("NFKC", name).casefold()


def check_name(name: str) -> str:
    """A round's name as given, refused when it could not name a record file of its own."""
    from ansheng_cli.export import sanitise
    from ansheng_cli.plan.text import invisible

    name = name.strip()
    if not name or sanitise(name, 120) == "ansheng" or not sanitise(name, 120).strip("._ "):
        raise UsageProblem(f"督办轮次名称“{name}”无效：请写如“2024年第二季度”的名称")
    if invisible(name):
        raise UsageProblem("督办轮次名称中有换行、制表符或看不见的字符：请重新输入")
    if len(name) > 60:
        raise UsageProblem(f"督办轮次名称太长（{len(name)} 字），请不超过 60 字")
    return name


def sheet_name(unit: str, round_name: str | None) -> str:
    from ansheng_cli.export import sanitise

    middle = f"_{round_name}" if round_name else ""
    return sanitise(f"{unit.replace(' ', '_')}{middle}_进展填报表", 200) + ".xlsx"


def start_round(
    plan: Plan,
    paths: list[str],
    folder: Path,
    name: str | None,
    as_of: dt.date,
    return_by: dt.date | None,
    unit: str | None = None,
    rule: LightRule | None = None,
    file: Path | None = None,
) -> tuple[list[Path], Path | None]:
    """Write the sheets (every unit that leads or supports a task, or ``unit``) into
    ``folder``; with a round ``name`` record them. Returns (sheets, the record)."""
    from ansheng_cli.atomic import atomic_path, guard_output, repository_lock
    from ansheng_cli.plan.files import collect
    from ansheng_cli.streams import progress
    from ansheng_cli.supervise.progress import SheetMeta, write_sheet

    if return_by is not None and return_by < as_of:
        raise UsageProblem(f"报送期限 {return_by} 早于截至日期 {as_of}")
    units: dict[str, str] = {}
    tasks: dict[str, list[Assignment]] = {}
    for a in plan.assignments():  # a unit that ceased: its tasks go to its successor
        now = a.ref.responsible(as_of)[0] if a.ref else a.unit
        label = plan.label(a.ref.jurisdiction, now) if a.ref else a.unit
        if unit is not None and unit not in (now, label, a.unit, a.ref.name if a.ref else ""):
            continue
        units.setdefault(label, a.ref.jurisdiction if a.ref else "")
        tasks.setdefault(label, []).append(a)
    if not units:
        raise UsageProblem(f"单位“{unit}”在所选文件中没有任务" if unit else "所选文件中没有任务")
    path = None
    if name is not None:  # the record is checked before any sheet is written
        name = check_name(name)
        root = repository_root(paths)
        path = record_path(root, name)
        other = next(
            (r.name for p, r in all_rounds(root) if r.name != name
             and (p == path or _folded(r.name) == _folded(name))),
            None,
        )  # fmt: skip
        if other is not None:
            raise UsageProblem(
                f"轮次“{name}”与已有轮次“{other}”只差大小写、全角半角或记录文件同名"
                f"（{path.name}）：请沿用原名称或换一个名称"
            )
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(f"{folder} 是文件，不是目录：各单位的填报表要写入一个目录")
    folder.mkdir(parents=True, exist_ok=True)
    inputs = [p for _, p in collect(paths)]
    targets = {label: folder / sheet_name(label, name) for label in units}
    if file is not None and len(targets) == 1:  # one unit's sheet, named by -o
        targets = dict.fromkeys(targets, file)
    for target in targets.values():
        guard_output(target, inputs)
    refuse_filled(list(targets.values()))
    written: list[tuple[str, Path, SheetMeta]] = []
    for label, jurisdiction in progress(list(units.items()), "生成填报表"):
        target = targets[label]
        meta = SheetMeta(name, label, jurisdiction, as_of.isoformat(),
                         return_by.isoformat() if return_by else None)  # fmt: skip
        with atomic_path(target) as tmp:
            meta = write_sheet(plan, label, tmp, as_of, meta, tasks[label], rule)
        written.append((label, target, meta))
    if name is None or path is None:
        return [t for _, t, _ in written], None
    with repository_lock(path):
        record = load_round(path) if path.is_file() else Round(name, as_of, dt.date.today())
        record.as_of, record.return_by = as_of, return_by or record.return_by
        for label, target, meta in written:
            sent = Sent(label, target.name, meta.code or "", meta.tasks, units[label] or None)
            old = record.unit(label)
            if old is not None:  # sent again: what already came back stays recorded
                sent.returned, sent.filled = old.returned, old.filled
                record.units[record.units.index(old)] = sent
            else:
                record.units.append(sent)
        save_round(path, record)
    return [t for _, t, _ in written], path


def refuse_filled(targets: list[Path]) -> None:
    """Refuse to write over sheets a unit has filled in: they are to be imported first."""
    filled = [t for t in targets if _filled_in(t)]
    if filled:
        names = "、".join(t.name for t in filled[:3]) + ("等" if len(filled) > 3 else "")
        raise UsageProblem(
            f"{filled[0].parent} 中已有填写过的填报表（{names}），未覆盖："
            "请先用 ansheng progress import 导入，或换一个目录"
        )


def _filled_in(sheet: Path) -> bool:
    """Whether an existing file in the way is a 进展填报表 a unit has filled in."""
    from ansheng_cli.supervise.progress import read_sheet

    if not sheet.is_file():
        return False
    try:
        rows, _, _ = read_sheet(sheet)
    except AnshengError:
        return False  # not a sheet we can read: guard_output and the atomic write decide
    return any(r.filled for r in rows)


def start(
    paths: list[str],
    settings: Any,
    output: str | None,
    unit: str | None,
    name: str | None,
    as_of: dt.date,
    return_by: dt.date | None,
    force: bool = False,
) -> str:
    """``export --to progress-xlsx -o FOLDER/`` without ``--unit`` (or with ``--round``):
    every unit's sheet, the round recorded when named. Returns what to tell the user."""
    from ansheng_cli.export import build_plan

    if output in (None, "-", "") or (Path(output).suffix.lower() == ".xlsx" and unit is None):
        raise UsageProblem("各单位的填报表要写入一个目录：请用 -o 指定，如 -o 填报表/")
    assert output is not None
    plan, report = build_plan(paths, settings, force)
    if unit is not None:
        from ansheng_cli.export import resolve_unit

        unit = resolve_unit(plan, report, unit)
    one = Path(output) if Path(output).suffix.lower() == ".xlsx" else None  # -o 我的.xlsx
    folder = one.parent if one is not None else Path(output)
    sheets, record = start_round(
        plan, paths, folder, name, as_of, return_by, unit, settings.lights, one
    )
    line = f"已生成 {len(sheets)} 个单位的进展填报表：{folder}"
    if record is not None:
        line += f"\n已登记督办轮次“{name}”：{record}"
    return line + "\n"
