"""Self-check of expected.toml against the variant reports (not a pytest test).

Run: /work/main/.venv/bin/python check_expected.py
"""
import math
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
MONEY = {
    "income_total", "income_general", "income_fund", "budget_initial", "budget_adjusted",
    "spending_all", "spending_total", "spending_basic", "spending_project",
    "spending_personnel", "spending_public", "sangong_total", "sangong_abroad",
    "sangong_reception", "sangong_vehicle", "meeting", "training", "carryover_total",
    "project_budget_initial", "project_spending",
}
KNOWN = MONEY | {"unit", "year", "staff_authorized", "staff_actual", "carryover_rate",
                 "execution_rate", "project_count", "project_execution_rate", "score", "grade"}
FACTOR = {"亿元": 1e4, "万元": 1.0, "万": 1.0, "千元": 0.1, "元": 1e-4}
CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
            "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
            "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def cn_to_int(s):
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in CN_DIGIT:
            digit = CN_DIGIT[ch]
        elif ch in CN_UNIT:
            section += (digit or 1) * CN_UNIT[ch]
            digit = 0
        elif ch in "万萬":
            total += (section + digit) * 10000
            section = digit = 0
    return total + section + digit


def numbers(quote):
    """(number, unit-after-it) pairs in a quote, full-width and 大写 included."""
    q = unicodedata.normalize("NFKC", quote)
    q = re.sub(r"(?<=\d),(?=\d{3})", "", q)
    out = [(float(m.group(1)), m.group(2)) for m in
           re.finditer(r"(\d+(?:\.\d+)?)\s*(亿元|万元|千元|元|万)?", q)]
    for m in re.finditer(r"[零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬]+", q):
        tok = m.group(0)
        if tok == "万" or not any(c in CN_DIGIT or c in CN_UNIT for c in tok):
            continue
        unit = "元" if q[m.end():m.end() + 1] == "元" else None
        out.append((float(cn_to_int(tok)), unit))
    if "为零" in q:
        out.append((0.0, None))
    return out


def declared_unit(text, quote):
    """The unit a table declares above the quoted cell (单位：万元 / （单位：元） / 单位：千元)."""
    pos = text.find(quote)
    decl = list(re.finditer(r"单位：(千元|万元|元)", text[:pos]))
    return decl[-1].group(1) if decl else None


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def main():
    data = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))
    errors, n_fig, n_proj = [], 0, 0
    listed = set()
    for rep in data["report"]:
        f = rep["file"]
        listed.add(f)
        path = HERE / f
        if not path.exists():
            errors.append(f"{f}: file missing")
            continue
        text = path.read_text(encoding="utf-8")
        nlines = len(text.splitlines())
        if not 40 <= nlines <= 150:
            errors.append(f"{f}: {nlines} lines")
        if rep["unit"] not in text:
            errors.append(f"{f}: unit {rep['unit']!r} not in text")
        if f"{rep['year']}年" not in text:
            errors.append(f"{f}: year {rep['year']} not in text")
        figs = rep.get("figures", {})
        for key, fig in figs.items():
            n_fig += 1
            if key not in KNOWN:
                errors.append(f"{f}:{key}: not in FIELDS.md vocabulary")
            q, v = fig["quote"], fig["value"]
            if q not in text:
                errors.append(f"{f}:{key}: quote not in text: {q!r}")
                continue
            if isinstance(v, str):
                if v not in q:
                    errors.append(f"{f}:{key}: {v!r} not in quote {q!r}")
                continue
            nums = numbers(q)
            ok = False
            for n, unit in nums:
                if key in MONEY:
                    if "as_written_unit" in fig:
                        # the slip: written unit as given, value = number in another unit
                        ok |= unit == fig["as_written_unit"] and any(
                            close(n * fac, v) for u, fac in FACTOR.items()
                            if FACTOR[u] != FACTOR[unit])
                    else:
                        unit = unit or declared_unit(text, q) or "万元"
                        ok |= close(n * FACTOR[unit], v)
                else:
                    ok |= close(n, v)
            if not ok:
                errors.append(f"{f}:{key}: value {v} not stated by quote {q!r} ({nums})")
        for p in rep.get("projects", []):
            n_proj += 1
            starts = [m.start() for m in re.finditer(re.escape(p["name"]), text)]
            if not starts:
                errors.append(f"{f}: project name not in text: {p['name']!r}")
                continue
            def fits(pos):
                after = text[pos + len(p["name"]):pos + len(p["name"]) + 80].split("；")[0]
                nums = numbers(after)
                decl = list(re.finditer(r"单位：(千元|万元|元)", text[:pos]))
                unit = decl[-1].group(1) if decl else None
                factors = [FACTOR[unit]] if unit else [1.0]
                ok = any(close(n * fac, p["amount"]) for n, u in nums
                         for fac in ([FACTOR[u]] if u else factors))
                if "score" in p:
                    ok &= any(close(n, p["score"]) for n, _ in nums)
                if "grade" in p:
                    ok &= p["grade"] in after
                return ok
            if not any(fits(pos) for pos in starts):
                errors.append(f"{f}: project {p['name']!r} amount/score/grade not found after its name")
        # arithmetic sanity of the invented numbers
        g = {k: fv["value"] for k, fv in figs.items()}
        def chk(label, a, b, tol=0.006):
            if abs(a - b) > tol:
                errors.append(f"{f}: {label}: {a} vs {b}")
        if {"spending_basic", "spending_project", "spending_total"} <= g.keys():
            chk("basic+project", g["spending_basic"] + g["spending_project"], g["spending_total"])
        if {"spending_personnel", "spending_public", "spending_basic"} <= g.keys():
            chk("personnel+public", g["spending_personnel"] + g["spending_public"], g["spending_basic"])
        if {"execution_rate", "spending_total", "budget_adjusted"} <= g.keys():
            chk("execution rate", round(g["spending_total"] / g["budget_adjusted"] * 100, 2), g["execution_rate"])
        if {"carryover_total", "spending_total", "budget_adjusted"} <= g.keys():
            chk("carryover", g["budget_adjusted"] - g["spending_total"], g["carryover_total"])
        parts = [g[k] for k in ("sangong_abroad", "sangong_reception", "sangong_vehicle") if k in g]
        if "sangong_total" in g and len(parts) >= 2:
            chk("sangong parts", sum(parts), g["sangong_total"])
        if "score" in g and "grade" in g:
            s = g["score"]
            band = "优" if s >= 90 else "良" if s >= 80 else "中" if s >= 60 else "差"
            if band != g["grade"]:
                errors.append(f"{f}: grade {g['grade']} vs score {s}")
        if "discrepancies" in rep:
            errors.append(f"{f}: discrepancies should be omitted")
    on_disk = {p.name for p in HERE.glob("*.txt")}
    for extra in sorted(on_disk - listed):
        errors.append(f"{extra}: on disk but not listed in expected.toml")
    print(f"{len(data['report'])} reports, {n_fig} figures, {n_proj} projects")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
