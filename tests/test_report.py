"""ansheng report: the page's numbers and lists, and how it renders in a real browser."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from ansheng_cli.config import Settings
from ansheng_cli.export import build_plan
from ansheng_cli.supervise.due import OVERDUE, due_items
from ansheng_cli.supervise.report import context, render

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2021, 1, 5)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def bundled_plan() -> object:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return build_plan(["data"], Settings(), force=True)[0]
    finally:
        os.chdir(old)


def test_numbers_follow_from_the_supervision_lists() -> None:
    plan = bundled_plan()
    ctx = context(plan, AS_OF, 30)
    items = due_items(plan, AS_OF, 30)
    overdue = {id(i.task) for i in items if i.state == OVERDUE}
    # 兴化市 23 (2020年底前), 兴宁市 9 attachment rows, 吉林省 12 phases and city focuses,
    # 六安市 59 (到2020年), 内蒙古 (九) and (十三): 105; the monthly duties of 内蒙古 (四) (五)
    # (六) (十五) are due soon ((五) holds its monthly meetings among seven milestones).
    assert ctx["summary"] == {"total": 174, "completed": 0, "overdue": 105, "soon": 4}
    assert len(overdue) == 105 == len(ctx["overdue"])
    # lights by the one rule: red = overdue; the four due soon fall due in more than 15 days
    assert ctx["lights"] == {"红": 105, "黄": 0, "绿": 69} and ctx["confirmed"] == 0
    assert (
        ctx["overdue"][0]["title"] == "2014年主要任务"
        and ctx["overdue"][0]["due"] == "2014年9月30日"
    )


def test_header_days_overdue_and_unit_sections() -> None:
    import re

    plan = bundled_plan()
    ctx = context(plan, AS_OF, 30)
    first = ctx["overdue"][0]
    assert first["days"] == (AS_OF - dt.date(2014, 9, 30)).days == 2289
    assert all(row["days"] > 0 for row in ctx["overdue"])
    # per unit: every overdue task under each of its lead units, most overdue units first
    led = sum(len(r["units"].split("、")) for r in ctx["overdue"] if r["units"] != "—")
    assert 0 < sum(len(u["rows"]) for u in ctx["units"]) <= led
    counts = [len(u["rows"]) for u in ctx["units"]]
    assert counts == sorted(counts, reverse=True)
    page = render(plan, AS_OF)
    assert "兴化市安全生产委员会办公室" in page.split("</header>")[0]
    assert "截至 2021年1月5日" in page.split("</header>")[0]
    months = re.findall(r'class="month">([^<]+)<', page)
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)
    long = "兴宁市关于推进安全生产领域改革发展的实施方案"
    assert f'title="{long}"' in page  # the full title on hover; the cell shows it cut
    assert re.search(r'<td class="doc" title="[^"]+">\d+\. [^<]{1,16}</td>', page)
    assert page.count('<section class="unit"') == len(ctx["units"])
    assert all(f'href="#{u["anchor"]}"' in page for u in ctx["units"])


def test_page_is_self_contained() -> None:
    page = render(bundled_plan(), AS_OF)
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in page and "@import" not in page and "url(" not in page
    assert "@media print" in page and "Noto Sans CJK SC" in page


@pytest.mark.skipif(CHROMIUM is None, reason="needs the system chromium (installed by .ci/run)")
def test_report_in_headless_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    report.write_text(render(bundled_plan(), AS_OF), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        assert page.inner_text("#total .n") == "174"
        assert page.inner_text("#overdue .n") == "105"
        assert page.inner_text("#soon .n") == "4"
        rows = page.locator("#overdue-list tbody tr")
        assert rows.count() == 105
        assert "兴化日报、兴化电视台等主流媒体" in page.inner_text("#overdue-list")
        assert (
            page.locator("#load-chart rect").count() > 0
            and page.locator("#month-chart rect").count() > 0
        )
        # chart labels stay inside their charts; document cells keep to one line
        for chart in ("#month-chart", "#load-chart"):
            box = page.locator(chart).bounding_box()
            for text in page.locator(f"{chart} text").all():
                t = text.bounding_box()
                assert box and t and t["y"] >= box["y"] - 0.5 and t["x"] >= box["x"] - 0.5
                assert t["x"] + t["width"] <= box["x"] + box["width"] + 0.5
        cells = page.locator("#overdue-list td.doc")
        heights = {round(cells.nth(i).bounding_box()["height"]) for i in range(3)}  # type: ignore[index]
        rows = [round(page.locator("#overdue-list tbody tr").nth(i).bounding_box()["height"]) for i in range(3)]  # type: ignore[index]  # fmt: skip
        assert heights and max(heights) <= max(rows) and max(rows) < 40
        shot = page.screenshot(full_page=False)
        # Chinese glyphs really render: the same text drawn as unassigned code points (tofu)
        # must look different from the Chinese text.
        page.evaluate(
            """() => {
              for (const [id, text] of [["zh", "督办报告逾期"], ["tofu", "\\ue000\\ue001\\ue002\\ue003\\ue004\\ue005"]]) {
                const s = document.createElement("span"); s.id = id; s.textContent = text;
                s.style.fontSize = "40px"; document.body.prepend(s);
              }
            }"""
        )
        zh = page.locator("#zh").screenshot()
        tofu = page.locator("#tofu").screenshot()
        browser.close()
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    assert len(shot) > 20_000  # a page with text and charts, not a blank one
    assert zh != tofu


def test_overdue_rows_name_who_answers_now() -> None:
    """兴宁市's 市安监局 ceased in 2019: its overdue tasks are listed under its successor,
    as the per-unit sections count them."""
    ctx = context(bundled_plan(), AS_OF, 30)
    units = {row["units"] for row in ctx["overdue"]}
    assert any("市应急管理局（原市安监局）" in u for u in units)
    assert not any(u == "市安监局" or u.startswith("市安监局、") for u in units)
