"""The validate use case: files in, one :class:`Report` out.

For each file: load (reading findings), check its shape against the model of its kind
(E2xx), run the enabled rules on what is valid, place every hit with the locator, then
apply the suppression comments. Reporters only ever see the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import UsageProblem
from ansheng_cli.plan.files import collect, file_kind
from ansheng_cli.plan.finding import Finding, Hit, Severity, severity_of
from ansheng_cli.plan.loader import MAX_FILE_BYTES, Loaded, load_file
from ansheng_cli.validate.result import FileResult, Report
from ansheng_cli.validate.suppress import parse_directives, pending_marks

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.registry import Registry

_RegistryLookup = tuple["Registry | None", str | None]


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    units: Path | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    as_of: dt.date | None = None  # "today" for progress checks (None: the real today)
    seasons: dict[str, str] = field(default_factory=dict)  # 汛期 = "06-01" for deadlines

    @classmethod
    def from_settings(cls, settings: Settings, as_of: dt.date | None = None) -> Options:
        """Options from the merged settings; unknown selector codes are refused."""
        from ansheng_cli.validate.docs import check_selectors

        check_selectors([*settings.select, *settings.ignore])
        return cls(
            select=settings.select,
            ignore=settings.ignore,
            strict=settings.strict,
            units=settings.units,
            max_file_bytes=settings.max_file_bytes,
            as_of=as_of,
            seasons=settings.seasons,
        )

    def enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)


def mark_duplicate_ids(files: list[FileResult], options: Options) -> None:
    """E107 on every file whose document.id another file has too (each names the others)."""
    by_id: dict[str, list[FileResult]] = {}
    for result in files:
        if result.doc_id is not None:
            by_id.setdefault(result.doc_id[0], []).append(result)
    if not options.enabled("E107"):
        return
    for doc_id, same in by_id.items():
        if len(same) < 2:
            continue
        for result in same:
            assert result.doc_id is not None
            others = "、".join(r.display for r in same if r is not result)
            result.findings.append(
                Finding(result.display, result.doc_id[1], result.doc_id[2], "E107",
                        f"document.id“{doc_id}”与 {others} 相同", "给其中一个文件换一个 id",
                        Severity.ERROR)
            )  # fmt: skip
            result.findings.sort(key=lambda f: f.sort_key)


def validate_paths(
    paths: list[str], settings: Settings, as_of: dt.date | None, stdin_name: str | None = None
) -> Report:
    """The validate use case: check the settings, then every file under ``paths`` (``-``:
    standard input, named ``stdin_name`` in findings)."""
    import sys

    from ansheng_cli.validate.reporters import FORMATS

    if settings.format not in FORMATS:
        raise UsageProblem(f"不支持的输出格式“{settings.format}”，可选：{'、'.join(FORMATS)}")
    if settings.units is not None and not settings.units.is_file():
        raise UsageProblem(f"单位名录文件不存在：{settings.units}")
    validator = Validator(Options.from_settings(settings, as_of))
    if paths != ["-"]:
        return validator.run(paths)
    raw = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    if len(raw) > settings.max_file_bytes:
        raise UsageProblem(f"标准输入过大：超过 {settings.max_file_bytes} 字节")
    result = validator.check_stdin(stdin_name or "-", raw)
    return Report([result], strict=settings.strict)


class Validator:
    """Validates files with shared state (registries are loaded once)."""

    def __init__(self, options: Options, keep_models: bool = False) -> None:
        from ansheng_cli.validate.rules import all_rules

        self.options = options
        self.keep_models = keep_models  # export needs the documents; validate does not
        self.rules = [r for r in all_rules() if options.enabled(r.code)]
        self._registries: dict[Path, _RegistryLookup] = {}

    def run(self, paths: Iterable[str]) -> Report:
        from ansheng_cli.streams import progress
        from ansheng_cli.validate.crossfile import check_links

        found = collect(paths)
        files = [self.check_file(display, path) for display, path in progress(found, "校验")]
        mark_duplicate_ids(files, self.options)
        check_links(files, found, self.options)
        return Report(files, strict=self.options.strict)

    def check_file(self, display: str, path: Path) -> FileResult:
        return self.check_loaded(display, load_file(path, self.options.max_file_bytes))

    def check_stdin(self, display: str, raw: bytes) -> FileResult:
        """Standard input as the file ``display`` (``--stdin-filename``): its name places
        it in the data repository (registry, kind), its text is what was piped in."""
        from ansheng_cli.plan.loader import decode, load_text

        text, problem = decode(raw)
        if text is None:
            assert problem is not None
            loaded = load_text(Path(display), "")
            loaded.issues[:] = [problem]
            loaded.data = None
        else:
            loaded = load_text(Path(display), text)
        return self.check_loaded(display, loaded)

    def check_loaded(self, display: str, loaded: Loaded) -> FileResult:
        kind = file_kind(loaded.data, loaded.path) if loaded.data is not None else "unknown"
        result = FileResult(display, kind, loaded.text)
        hits: list[Hit] = []
        if loaded.ok:
            hits = list(self._semantic(kind, loaded, result))
            document = loaded.data.get("document") if isinstance(loaded.data, dict) else None
            if kind == "document" and isinstance(document, dict) and document.get("id"):
                where = loaded.locator.locate(("document", "id"), False)
                result.doc_id = (str(document["id"]), *where)
        findings = [
            Finding(
                display,
                i.line,
                i.column,
                i.code,
                i.message,
                i.hint,
                severity_of(i.code),
                detail=i.detail,
            )
            for i in loaded.issues
        ]
        findings += [
            Finding(display, line, column, "W903", f"导入时标记的“{text[:40]}”尚未处理",
                    "核对原文、改正数据后删去这条注释", Severity.WARNING)
            for line, column, text in pending_marks(loaded.text)
        ]  # fmt: skip
        for hit in hits:
            line, column = loaded.locator.locate(hit.path, hit.at_key)
            findings.append(
                Finding(
                    display, line, column, hit.code, hit.message, hit.hint, severity_of(hit.code)
                )
            )
        findings = [f for f in findings if self.options.enabled(f.code)]
        # Rules only run on a file whose shape is valid; until then an acknowledgement
        # cannot be judged unused.
        complete = not any(f.code[1] in "12" for f in findings)
        findings = self._suppress(display, loaded.text, findings, complete)
        findings.sort(key=lambda f: f.sort_key)
        result.findings = findings
        if not findings:
            result.text = ""  # the text is kept only to show the lines of findings
        return result

    def _semantic(self, kind: str, loaded: Loaded, result: FileResult) -> Iterator[Hit]:
        """Shape findings, then the rules. A file with shape errors is checked all the same:
        the rules run on what is valid (the bad parts taken out) and say nothing about the
        parts taken out, so one typo never hides the other defects of the file."""
        from ansheng_cli.plan.models import Document, UnitRegistry
        from ansheng_cli.plan.shape import Salvage, check_shape, salvage
        from ansheng_cli.validate.context import DocumentContext, RegistryContext

        model_type: type[Document] | type[UnitRegistry] = (
            UnitRegistry if kind == "registry" else Document
        )
        model: Any
        model, problems = check_shape(model_type, loaded.data)
        yield from problems
        partial: Salvage | None = None
        if model is None:
            partial = salvage(model_type, loaded.data)
            if partial is None:
                return
            model = partial.model
        if kind == "registry":
            hits: Iterator[Hit] = (
                hit
                for rule in self.rules
                if rule.target == "registry"
                for hit in rule.check(RegistryContext(model))
            )
        else:
            registry, problem = self._registry_for(loaded.path, model.document.jurisdiction)
            if self.keep_models and partial is None:
                result.model, result.registry = model, registry
            today = self.options.as_of or dt.date.today()
            ctx = DocumentContext(model, registry, problem, today, self.options.seasons)
            hits = (
                hit for rule in self.rules if rule.target == "document" for hit in rule.check(ctx)
            )
        for hit in hits:
            if partial is None:
                yield hit
                continue
            path = partial.original(hit.path)
            if partial.keeps(path):
                yield replace(hit, path=path)

    def _registry_for(self, document: Path, jurisdiction: str) -> _RegistryLookup:
        from ansheng_cli.plan.registry import jurisdiction_problem, registry_path

        problem = None if self.options.units else jurisdiction_problem(jurisdiction)
        if problem:
            return None, problem
        path = self.options.units or registry_path(document, jurisdiction)
        if path is None:
            return None, None
        key = path.resolve()
        if key not in self._registries:
            self._registries[key] = load_registry(key)
        return self._registries[key]

    def _suppress(
        self, display: str, text: str, findings: list[Finding], complete: bool
    ) -> list[Finding]:
        directives = parse_directives(text)
        if not directives:
            return findings
        out: list[Finding] = []
        for finding in findings:
            for d in directives:
                if not d.reason:
                    continue
                code = d.covers(finding.code, finding.line)
                if code:
                    d.used.add(code)
                    finding = Finding(
                        finding.file, finding.line, finding.column, finding.code,
                        finding.message, finding.hint, finding.severity, True, d.reason,
                    )  # fmt: skip
                    break
            out.append(finding)
        for d in directives:
            if not d.reason:
                out.append(
                    Finding(
                        display,
                        d.line,
                        d.column,
                        "E901",
                        f"忽略注释 ignore[{', '.join(d.codes)}] 没有写原因，未生效",
                        "在方括号后写明原因，如：# ansheng: ignore[W301] 原文即无第6项",
                        Severity.ERROR,
                    )
                )
                continue
            for code in d.codes:
                if complete and code not in d.used and self.options.enabled(code):
                    out.append(
                        Finding(
                            display,
                            d.line,
                            d.column,
                            "W902",
                            f"忽略注释中的 {code} 没有对应任何问题",
                            "删去这条注释，或移到问题所在的行",
                            Severity.WARNING,
                        )
                    )
        return out


def load_registry(path: Path) -> _RegistryLookup:
    from ansheng_cli.plan.models import UnitRegistry
    from ansheng_cli.plan.registry import Registry
    from ansheng_cli.plan.shape import check_shape

    loaded = load_file(path)
    if not loaded.ok:
        return None, f"单位名录 {path.name} 无法读取，未核对单位名称"
    model, _problems = check_shape(UnitRegistry, loaded.data)
    if model is None:
        return None, f"单位名录 {path.name} 有格式错误，未核对单位名称"
    return Registry(model, path), None


def validate(paths: Iterable[str], options: Options | None = None) -> Report:
    """Library entry point: the same report the CLI prints."""
    return Validator(options or Options()).run(paths)
