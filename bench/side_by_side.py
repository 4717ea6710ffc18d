#!/usr/bin/env python3
"""Side-by-side benchmark of kgq against embedded graph engines.

Generates the news graph with kgq-gen (neo4j-admin CSV), loads it into each
engine through the engine's bulk path, runs every query class of
bench/queries.json several times, checks that all engines give the same
answers, and prints the medians per query and size with the ratio
kgq / fastest peer. Writes a markdown table to bench/results/.

Each engine runs in its own process: Kuzu and LadybugDB cannot be imported
into one interpreter, and a separate process gives each engine its own
peak-memory figure. Use bench/run.sh, which sets up the virtual
environment and builds kgq first.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
QUERIES = BENCH / "queries.json"
KGQ = ROOT / "target" / "release" / "kgq"
KGQ_GEN = ROOT / "target" / "release" / "kgq-gen"
PEERS = ["kuzu", "ladybug", "falkordb", "grand_cypher"]
ENGINES = ["kgq"] + PEERS


# ---------------------------------------------------------------- shared


def load_classes() -> list[dict]:
    return json.loads(QUERIES.read_text())["classes"]


def cypher_string(value: str, quote: str = "'") -> str:
    return quote + value.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def substitute(text: str, landmarks: dict, quote: str = "'") -> str:
    """Replaces `$name` by the landmark's name as a string literal."""

    def repl(m: re.Match) -> str:
        name = m.group(1)
        return cypher_string(landmarks[name], quote) if name in landmarks else m.group(0)

    return re.sub(r"\$(\w+)", repl, text)


def query_for(cls: dict, engine: str) -> str | None:
    if engine in cls.get("unsupported", {}):
        return None
    return cls.get("dialects", {}).get(engine, cls["query"])


def canonical(value):
    """A comparable form of one result value: floats rounded (engines sum
    in different orders), kgq's tagged floats unwrapped."""
    if isinstance(value, dict) and set(value) == {"~float"}:
        value = value["~float"]
        if isinstance(value, str):
            return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def normalise(rows) -> str:
    """Rows as one string, sorted: ORDER BY ... LIMIT with full tie-breaks
    fixes the set, and sorting removes differences in order of equal keys."""
    keyed = sorted(json.dumps([canonical(v) for v in row], sort_keys=True) for row in rows)
    return "[" + ",".join(keyed) + "]"


def peak_mib(pid: int | str = "self") -> float | None:
    """The high-water mark of resident memory of a process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Timeout(Exception):
    pass


# ---------------------------------------------------------------- peers


class KuzuLike:
    """Kuzu and its fork LadybugDB share the API and the loading path: node
    tables need a schema and relationship files one per (from, to) label
    pair, so the neo4j-admin files are split first (the conversion step)."""

    TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "boolean": "BOOLEAN"}

    def __init__(self, module: str):
        self.mod = __import__(module)
        self.version = getattr(self.mod, "__version__", "?")
        self.tmp = tempfile.mkdtemp(prefix=f"kgq-bench-{module}-")

    def load(self, src: Path, params: dict) -> dict:
        labels = params["labels"]
        ranges = sorted((v["first_id"], k) for k, v in labels.items())
        starts = [r[0] for r in ranges]

        def label_of(i: int) -> str:
            return ranges[bisect.bisect_right(starts, i) - 1][1]

        t0 = time.perf_counter()
        pairs: dict[str, list] = {}
        for typ in params["types"]:
            files = {}
            with open(src / f"rels_{typ}.csv", newline="") as fi:
                reader = csv.reader(fi)
                next(reader)
                for row in reader:
                    key = (label_of(int(row[0])), label_of(int(row[1])))
                    out = files.get(key)
                    if out is None:
                        fo = open(Path(self.tmp) / f"{typ}_{key[0]}_{key[1]}.csv", "w", newline="")
                        out = files[key] = (fo, csv.writer(fo))
                    del row[2]
                    out[1].writerow(row)
            for fo, _ in files.values():
                fo.close()
            pairs[typ] = sorted(files)
        t1 = time.perf_counter()
        self.db = self.mod.Database(":memory:")
        self.conn = self.mod.Connection(self.db)
        c = self.conn
        for lab, v in labels.items():
            cols = ", ".join(f"{k} {self.TYPES[t]}" for k, t in v["schema"])
            c.execute(f"CREATE NODE TABLE {lab}(id INT64 PRIMARY KEY, {cols}, lbl STRING)")
        for typ, v in params["types"].items():
            ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs[typ])
            cols = "".join(f", {k} {self.TYPES[t]}" for k, t in v["schema"])
            c.execute(f"CREATE REL TABLE {typ}({ends}{cols})")
        for lab in labels:
            c.execute(f"COPY {lab} FROM '{src}/nodes_{lab}.csv' (header=true)")
        for typ in params["types"]:
            for a, b in pairs[typ]:
                f = Path(self.tmp) / f"{typ}_{a}_{b}.csv"
                opts = f", from='{a}', to='{b}'" if len(pairs[typ]) > 1 else ""
                c.execute(f"COPY {typ} FROM '{f}' (header=false{opts})")
        t2 = time.perf_counter()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return {"convert_s": t1 - t0, "load_s": t2 - t1, "peak_mib": peak_mib()}

    def run(self, text: str, timeout_s: float) -> list:
        self.conn.set_query_timeout(int(timeout_s * 1000))
        try:
            return self.conn.execute(text).get_all()
        except RuntimeError as e:
            if "interrupted" in str(e).lower() or "timeout" in str(e).lower():
                raise Timeout() from e
            raise


class Falkor:
    """FalkorDB embedded through falkordblite (a private redis-server with
    the FalkorDB module), loaded with FalkorDB's bulk loader after the
    headers are rewritten to its dialect (the conversion step). `name` is
    indexed for every label, as kgq indexes it."""

    def __init__(self):
        from redislite.falkordb_client import FalkorDB

        import importlib.metadata as md

        self.version = md.version("falkordblite")
        self.broken = False
        self.tmp = tempfile.mkdtemp(prefix="kgq-bench-falkordb-")
        self.db = FalkorDB(os.path.join(self.tmp, "falkor.db"))
        self.graph = self.db.select_graph("news")
        try:
            for m in self.db.client.execute_command("MODULE", "LIST"):
                m = dict(zip(m[::2], m[1::2])) if isinstance(m, list) else m
                if str(m.get("name", "")).lower() == "graph":
                    self.version += f" (FalkorDB module {m.get('ver')})"
        except Exception:
            pass

    def load(self, src: Path, params: dict) -> dict:
        t0 = time.perf_counter()
        args = []
        for f in sorted(os.listdir(src)):
            if not f.endswith(".csv"):
                continue
            with open(src / f) as fi, open(Path(self.tmp) / f, "w") as fo:
                head = fi.readline().rstrip("\n").split(",")
                new = []
                for h in head:
                    if h in (":LABEL", ":TYPE"):
                        new.append(":IGNORE")
                    elif ":" not in h:
                        new.append(h + ":STRING")
                    else:
                        new.append(h)
                fo.write(",".join(new) + "\n")
                shutil.copyfileobj(fi, fo)
            if f.startswith("nodes_"):
                args += ["-N", f[len("nodes_") : -4], str(Path(self.tmp) / f)]
            else:
                args += ["-R", f[len("rels_") : -4], str(Path(self.tmp) / f)]
        for lab in params["labels"]:
            args += ["-i", f"{lab}:name"]
        t1 = time.perf_counter()
        loader = Path(sys.executable).parent / "falkordb-bulk-insert"
        cmd = [str(loader), "-u", "unix://" + self.db.client.socket_file, "-d", "-j", "INTEGER"]
        r = subprocess.run(cmd + ["news"] + args, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"bulk loader failed: {r.stderr[-1000:]}")
        t2 = time.perf_counter()
        return {"convert_s": t1 - t0, "load_s": t2 - t1, "peak_mib": peak_mib(self.db.client.pid)}

    def run(self, text: str, timeout_s: float) -> list:
        try:
            return self.graph.query(text, timeout=int(timeout_s * 1000)).result_set
        except Exception as e:
            if "timed out" in str(e).lower() or "timeout" in str(e).lower():
                # The server keeps working on the abandoned query and answers
                # nothing else meanwhile: the worker starts a fresh one.
                self.broken = True
                raise Timeout() from e
            raise

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def peak(self) -> float | None:
        return peak_mib(self.db.client.pid)


class GrandCypher:
    """networkx MultiDiGraph queried by grand-cypher: pure Python, for the
    small size only."""

    CONVERT = {"string": str, "int": int, "float": float, "boolean": lambda s: s == "true"}

    def __init__(self):
        import grandcypher
        import networkx
        import importlib.metadata as md

        self.nx = networkx
        self.GrandCypher = grandcypher.GrandCypher
        self.version = f"{md.version('grand-cypher')} (networkx {networkx.__version__})"

    def load(self, src: Path, params: dict) -> dict:
        t0 = time.perf_counter()
        g = self.nx.MultiDiGraph()
        for lab, v in params["labels"].items():
            conv = [self.CONVERT[t] for _, t in v["schema"]]
            keys = [k for k, _ in v["schema"]]
            with open(src / f"nodes_{lab}.csv", newline="") as fi:
                r = csv.reader(fi)
                next(r)
                for row in r:
                    attrs = {k: c(x) for k, c, x in zip(keys, conv, row[1:-1])}
                    g.add_node(int(row[0]), __labels__={lab}, **attrs)
        for typ, v in params["types"].items():
            conv = [self.CONVERT[t] for _, t in v["schema"]]
            keys = [k for k, _ in v["schema"]]
            with open(src / f"rels_{typ}.csv", newline="") as fi:
                r = csv.reader(fi)
                next(r)
                for row in r:
                    attrs = {k: c(x) for k, c, x in zip(keys, conv, row[3:])}
                    g.add_edge(int(row[0]), int(row[1]), __labels__={typ}, **attrs)
        self.g = g
        return {"convert_s": 0.0, "load_s": time.perf_counter() - t0, "peak_mib": peak_mib()}

    def run(self, text: str, timeout_s: float) -> list:
        def on_alarm(signum, frame):
            raise Timeout()

        old = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            result = self.GrandCypher(self.g).run(text)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        columns = list(result)
        return [list(row) for row in zip(*(result[c] for c in columns))]


def make_peer(engine: str):
    if engine in ("kuzu", "ladybug"):
        return KuzuLike(engine)
    if engine == "falkordb":
        return Falkor()
    if engine == "grand_cypher":
        return GrandCypher()
    raise ValueError(f"unknown engine {engine}")


def time_runs(run, repeat: int, timeout_s: float, budget_s: float) -> dict:
    """One untimed warm-up run (its rows are the answer), then up to
    `repeat` timed runs within `budget_s`; the median is client-side."""
    try:
        t = time.perf_counter()
        rows = run(timeout_s)
        first = time.perf_counter() - t
    except Timeout:
        return {"error": f"timeout after {timeout_s:g} s"}
    except Exception as e:  # an engine's own error is a result to report
        return {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"}
    times = []
    n = repeat if first * repeat <= budget_s else max(1, int(budget_s / max(first, 1e-9)))
    for _ in range(n):
        t = time.perf_counter()
        try:
            run(timeout_s)
        except Exception as e:
            return {"error": f"failed on repeat: {e}"}
        times.append((time.perf_counter() - t) * 1000)
    if not times:
        times = [first * 1000]
    return {"median_ms": statistics.median(times), "runs": len(times), "rows": normalise(rows),
            "sample": [[canonical(v) for v in row] for row in rows[:3]]}


def worker(engine: str, src: Path, repeat: int, timeout_s: float, budget_s: float, only: list[str]) -> dict:
    params = json.loads((src / "params.json").read_text())
    out = {"engine": engine, "results": {}}
    try:
        peer = make_peer(engine)
        out["version"] = peer.version
        out["load"] = peer.load(src, params)
    except Exception as e:
        out["error"] = f"{type(e).__name__}: {e}"
        return out
    for cls in load_classes():
        if only and cls["name"] not in only:
            continue
        text = query_for(cls, engine)
        if text is None:
            out["results"][cls["name"]] = {"error": "unsupported: " + cls["unsupported"][engine]}
            continue
        quote = '"' if engine == "grand_cypher" else "'"
        text = substitute(text, params["landmarks"], quote)
        if engine == "grand_cypher":
            text = text.replace("'", '"')
        if getattr(peer, "broken", False):
            peer.close()
            peer = make_peer(engine)
            peer.load(src, params)
        out["results"][cls["name"]] = time_runs(lambda t: peer.run(text, t), repeat, timeout_s, budget_s)
    if isinstance(peer, Falkor):
        out["load"]["peak_mib_end"] = peer.peak()
        peer.close()
    else:
        out["load"]["peak_mib_end"] = peak_mib()
    return out


# ---------------------------------------------------------------- kgq


def parse_json_stream(text: str) -> list:
    """Every JSON value in `text`: one array, JSON lines, or objects one
    after another."""
    dec = json.JSONDecoder()
    values, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        value, i = dec.raw_decode(text, i)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            values.extend(value)
        else:
            values.append(value)
    return values


def timing_ms(obj: dict) -> float | None:
    t = obj.get("timing")
    if isinstance(t, (int, float)):
        return float(t)
    if isinstance(t, dict):
        for key in ("total", "total_ms"):
            if isinstance(t.get(key), (int, float)):
                return float(t[key])
        nums = [v for v in t.values() if isinstance(v, (int, float))]
        return float(sum(nums)) if nums else None
    return None


def run_kgq_script(src: Path, items: list[tuple[str, str, int]], timeout_s: float) -> dict[str, dict]:
    """Runs one script: per (class, text, n) a marker statement, then the
    text n times. Returns per class the answer and the statement times from
    `--timing`. A failed statement prints nothing on stdout and its error on
    stderr, so classes are told apart by their markers."""
    parts = []
    for name, text, n in items:
        parts.append(f"RETURN '{name}' AS kgq_bench_class")
        parts += [text] * n
    with tempfile.TemporaryDirectory(prefix="kgq-bench-") as tmp:
        script = Path(tmp) / "bench.cypher"
        script.write_text(";\n".join(parts) + ";\n")
        cmd = [str(KGQ), "--data", str(src), "--format", "json", "--timing", "--continue-on-error",
               "--timeout", f"{int(timeout_s * 1000)}ms", "-f", str(script)]
        total = sum(n for _, _, n in items) * (timeout_s + 5) + 300
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=total)
        except subprocess.TimeoutExpired:
            return {name: {"error": f"kgq did not finish within {total:.0f} s"} for name, _, _ in items}
    try:
        objs = [o for o in parse_json_stream(r.stdout) if isinstance(o, dict)]
    except ValueError as e:
        return {name: {"error": f"unreadable JSON output: {e}"} for name, _, _ in items}
    # Error messages in order: the first line of each diagnostic.
    errors = [line for line in r.stderr.splitlines() if re.match(r"^[A-Z]\w* \(\w+\): ", line)]
    out: dict[str, dict] = {}
    current = None
    groups: dict[str, list[dict]] = {}
    for o in objs:
        if o.get("columns") == ["kgq_bench_class"] and o.get("rows"):
            current = o["rows"][0][0]
            groups[current] = []
        elif current is not None:
            groups[current].append(o)
    for name, _, n in items:
        got = groups.get(name, [])
        if len(got) < n:
            msg = errors.pop(0) if errors else (r.stderr.strip().splitlines() or ["no output"])[-1]
            if "Timeout" in msg:
                out[name] = {"error": f"timeout after {timeout_s:g} s"}
            else:
                out[name] = {"error": msg[:300]}
            continue
        times = [timing_ms(o) for o in got]
        if any(t is None for t in times):
            out[name] = {"error": "no `timing` in kgq's JSON output"}
            continue
        rows = got[0].get("rows", [])
        out[name] = {"times": times, "rows": normalise(rows),
                     "sample": [[canonical(v) for v in row] for row in rows[:3]]}
    return out


def run_kgq(src: Path, repeat: int, timeout_s: float, budget_s: float, only: list[str]) -> dict:
    """kgq through its binary, like the peers: each class once (the answer
    and a first time), then up to `repeat` timed runs within `budget_s`.
    Times come from `--timing` (inside the engine, without process start-up
    and load); the graph is loaded once per phase."""
    out = {"engine": "kgq", "results": {}}
    if not KGQ.exists():
        out["error"] = f"{KGQ} not built"
        return out
    params = json.loads((src / "params.json").read_text())
    out["version"] = subprocess.run([str(KGQ), "--version"], capture_output=True, text=True).stdout.strip()
    # Load time and peak memory: the whole process on a trivial query.
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-v", str(KGQ), "--data", str(src), "--format", "json",
                        "-c", "MATCH (n) RETURN count(n) AS n"], capture_output=True, text=True)
    wall = time.perf_counter() - t
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if r.returncode != 0:
        out["error"] = "load: " + (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[0][:300]
        return out
    try:
        probe = [o for o in parse_json_stream(r.stdout) if isinstance(o, dict) and "rows" in o]
    except ValueError:
        probe = []
    if not probe or normalise(probe[0]["rows"]) != normalise([[params["nodes"]]]):
        first = (r.stdout.strip().splitlines() or ["nothing"])[0][:200]
        out["error"] = f"load probe `MATCH (n) RETURN count(n)` did not answer {params['nodes']} in JSON; stdout: {first}"
        return out
    out["load"] = {"convert_s": 0.0, "load_s": wall, "peak_mib": int(rss.group(1)) / 1024 if rss else None}
    texts = {cls["name"]: substitute(query_for(cls, "kgq"), params["landmarks"])
             for cls in load_classes() if not only or cls["name"] in only}
    first = run_kgq_script(src, [(name, text, 1) for name, text in texts.items()], timeout_s)
    plan = []
    for name, res in first.items():
        if "times" not in res:
            continue
        t_ms = res["times"][0]
        n = repeat if t_ms * repeat <= budget_s * 1000 else int(budget_s * 1000 / max(t_ms, 1e-6))
        if n > 0:
            # One more run than timed: the first warms this process up, as
            # the peers' workers are warmed by their answer run.
            plan.append((name, texts[name], n + 1))
    second = run_kgq_script(src, plan, timeout_s) if plan else {}
    for name, res in first.items():
        if "times" not in res:
            out["results"][name] = res
            continue
        times = second.get(name, {}).get("times", [])[1:] or res["times"]
        out["results"][name] = {"median_ms": statistics.median(times), "runs": len(times),
                                "rows": res["rows"], "sample": res["sample"]}
    return out


# ---------------------------------------------------------------- report


def fmt_ms(res: dict | None, notes: list[str] | None = None) -> str:
    """A median for the table; errors become a short word with the full
    text as a numbered note under the table."""
    if not res:
        return "-"
    if "error" in res:
        err = res["error"]
        if notes is None:
            return err
        word = "timeout" if err.startswith("timeout") else (
            "unsupported" if err.startswith("unsupported") else "error")
        if word == "timeout":
            return err.replace(" after", "")
        if err not in notes:
            notes.append(err)
        return f"{word} [{notes.index(err) + 1}]"
    ms = res["median_ms"]
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 10:
        return f"{ms:.0f} ms"
    return f"{ms:.2f} ms"


def check_answers(results: dict[str, dict], cls_name: str) -> tuple[str, set[str]]:
    """Groups engines by answer. The majority answer is taken as right when
    at least two peers agree; engines outside it are named."""
    groups: dict[str, list[str]] = {}
    for engine, doc in results.items():
        res = doc.get("results", {}).get(cls_name)
        if res and "rows" in res:
            groups.setdefault(res["rows"], []).append(engine)
    if not groups:
        return "no answers", set()
    if len(groups) == 1:
        engines = next(iter(groups.values()))
        return ("agree" if len(engines) > 1 else "single answer"), set()
    best = max(groups.values(), key=len)
    wrong = {e for g in groups.values() if g is not best for e in g}
    return "DIFFER: " + " vs ".join("/".join(g) for g in groups.values()), wrong


def report(size: int, results: dict[str, dict], engines: list[str]) -> str:
    classes = load_classes()
    names = {e: e for e in engines}
    lines = [f"#### {size:,} relationships".replace(",", "\u2009"), ""]
    notes: list[str] = []
    head = ["query class"] + [names[e] for e in engines] + ["kgq / fastest peer", "answers"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for cls in classes:
        if not any(cls["name"] in doc.get("results", {}) for doc in results.values()):
            continue
        cells = [cls["title"]]
        verdict, wrong = check_answers(results, cls["name"])
        for e in engines:
            res = results.get(e, {}).get("results", {}).get(cls["name"])
            if e in results and "error" in results[e] and not res:
                cell = fmt_ms({"error": "error: " + results[e]["error"]}, notes)
            else:
                cell = fmt_ms(res, notes)
            if e in wrong:
                cell += " (wrong answer)"
            cells.append(cell)
        peers = [results[e]["results"][cls["name"]]["median_ms"] for e in engines if e != "kgq"
                 and e in results and e not in wrong
                 and "median_ms" in results[e].get("results", {}).get(cls["name"], {})]
        kgq = results.get("kgq", {}).get("results", {}).get(cls["name"], {})
        if peers and "median_ms" in kgq and "kgq" not in wrong:
            ratio = kgq["median_ms"] / min(peers)
            cells.append(f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}")
        else:
            cells.append("-")
        cells.append(verdict)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    # Load row: time (conversion separately) and peak memory.
    cells = ["load CSVs (+ conversion), peak memory"]
    for e in engines:
        load = results.get(e, {}).get("load")
        if not load:
            cells.append(fmt_ms({"error": "error: " + results.get(e, {}).get("error", "not run")}, notes))
            continue
        conv = f" + {load['convert_s']:.2f} s" if load.get("convert_s") else ""
        peak = f", {load['peak_mib']:.0f} MiB" if load.get("peak_mib") else ""
        cells.append(f"{load['load_s']:.2f} s{conv}{peak}")
    cells += ["", ""]
    lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"[{i}] {n}" + "  " for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"


def ensure_data(size: int, seed: int) -> Path:
    src = BENCH / "data" / str(size)
    if not (src / "params.json").exists():
        if not KGQ_GEN.exists():
            sys.exit(f"{KGQ_GEN} is missing: run `cargo build --release --bin kgq-gen` (bench/run.sh does)")
        subprocess.run([str(KGQ_GEN), "--rels", str(size), "--seed", str(seed), "--out", str(src)], check=True)
    return src


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of relationships")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: " + ", ".join(ENGINES))
    ap.add_argument("--queries", default="", help="comma-separated query class names (default all)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query (after one warm-up)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds one query run may take")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds of timed runs per query and engine")
    ap.add_argument("--grand-max", type=int, default=10000, help="largest size grand-cypher runs at")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--merge", action="store_true",
                    help="keep the saved results of the engines not run now (their figures come from an earlier run)")
    ap.add_argument("--report", action="store_true",
                    help="only print the tables of the sizes' saved bench/results/N.json")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    only = [q for q in args.queries.split(",") if q]

    if args.worker:
        doc = worker(args.worker, Path(args.data), args.repeat, args.timeout, args.budget, only)
        print(json.dumps(doc))
        return

    engines = [e for e in args.engines.split(",") if e]
    results_dir = BENCH / "results"
    if args.report:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            results = json.loads((results_dir / f"{size}.json").read_text())
            shown = [e for e in engines if e in results]
            versions = ", ".join(f"{e} {results[e].get('version', '?')}" for e in shown)
            print(report(size, results, shown) + f"\nVersions: {versions}.\n")
        return
    results_dir.mkdir(exist_ok=True)
    tables = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        src = ensure_data(size, args.seed)
        saved = results_dir / f"{size}.json"
        results: dict[str, dict] = json.loads(saved.read_text()) if args.merge and saved.exists() else {}
        for engine in engines:
            if engine == "grand_cypher" and size > args.grand_max:
                continue
            print(f"== {size} relationships: {engine}", file=sys.stderr, flush=True)
            if engine == "kgq":
                doc = run_kgq(src, args.repeat, args.timeout, args.budget, only)
            else:
                cmd = [sys.executable, __file__, "--worker", engine, "--data", str(src),
                       "--repeat", str(args.repeat), "--timeout", str(args.timeout),
                       "--budget", str(args.budget), "--queries", args.queries]
                r = subprocess.run(cmd, capture_output=True, text=True)
                try:
                    doc = json.loads(r.stdout.strip().splitlines()[-1])
                except (ValueError, IndexError):
                    doc = {"engine": engine, "error": (r.stderr.strip().splitlines() or ["no output"])[-1]}
            results[engine] = doc
            for name, res in doc.get("results", {}).items():
                print(f"   {name:15} {fmt_ms(res)}", file=sys.stderr, flush=True)
            if "error" in doc:
                print(f"   error: {doc['error']}", file=sys.stderr, flush=True)
        (results_dir / f"{size}.json").write_text(json.dumps(results, indent=1))
        shown = [e for e in ENGINES if e in results]
        table = report(size, results, shown)
        for cls in load_classes():
            verdict, _ = check_answers(results, cls["name"])
            if verdict.startswith("DIFFER"):
                for e in shown:
                    res = results[e].get("results", {}).get(cls["name"], {})
                    if "sample" in res:
                        print(f"   {cls['name']} {e}: {res['sample']}", file=sys.stderr)
        versions = ", ".join(f"{e} {results[e].get('version', '?')}" for e in shown)
        tables.append(table + f"\nVersions: {versions}.\n")
        print(table)
    (results_dir / "latest.md").write_text("\n".join(tables))
    print(f"written: {results_dir / 'latest.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
