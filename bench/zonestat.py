#!/usr/bin/env python3
"""Count the records of a master file by type (stdlib only); prints "<RRSIG count> <NSEC> <NSEC3> <total>".

Understands the output styles of dnssec-signzone (owner omitted on continuation records, multi-line
RDATA in parentheses, comments), kzonesign (no class), ldns-signzone and dnsjava (one record a line).
"""
import sys

CLASSES = {"IN", "CH", "HS", "CS", "ANY"}


def records(path):
    depth = 0
    buf = []
    starts_blank = False
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for raw in f:
            # strip comment outside quotes; track parentheses outside quotes
            out = []
            inq = False
            esc = False
            for ch in raw:
                if esc:
                    out.append(ch)
                    esc = False
                    continue
                if ch == "\\":
                    out.append(ch)
                    esc = True
                    continue
                if ch == '"':
                    inq = not inq
                    out.append(ch)
                    continue
                if not inq:
                    if ch == ";":
                        break
                    if ch == "(":
                        depth += 1
                        out.append(" ")
                        continue
                    if ch == ")":
                        depth -= 1
                        out.append(" ")
                        continue
                out.append(ch)
            line = "".join(out)
            if not buf:
                if not line.strip():
                    continue
                starts_blank = line[:1] in (" ", "\t")
            buf.append(line)
            if depth <= 0:
                depth = 0
                yield starts_blank, " ".join(buf).split()
                buf = []


def main():
    counts = {}
    total = 0
    for blank, toks in records(sys.argv[1]):
        if not toks or toks[0].startswith("$"):
            continue
        i = 0 if blank else 1
        while i < len(toks) and (toks[i].isdigit() or toks[i].upper() in CLASSES or toks[i].upper().startswith("CLASS")):
            i += 1
        if i >= len(toks):
            continue
        t = toks[i].upper()
        counts[t] = counts.get(t, 0) + 1
        total += 1
    print(counts.get("RRSIG", 0), counts.get("NSEC", 0), counts.get("NSEC3", 0), total)


if __name__ == "__main__":
    main()
