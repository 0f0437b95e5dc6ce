#!/usr/bin/env python3
"""Reference tokenizer for Ballast word models with the `lm` analyzer, from the model's metadata alone.

Usage:
  python3 scripts/lm_tokenizer.py MODEL [--text TEXT | --file FILE] [--json]

MODEL is a model.json file, a model or checkpoint directory holding one, a run directory (its best.json,
else latest.json, names the checkpoint), or an exported .onnx file (its ballast.tokenizer metadata; read
with the onnx package when it is installed, else with the small protobuf reader below). The text comes
from --text, --file (UTF-8) or standard input.

Output: one line per input line, the ids of its tokens separated by spaces, the line-end id (<eos>)
included; a last line without a line break is printed too, without the line-end id. With --json, one
object: ids, tokens, start_id (the id a model is fed before the first token) and unknown (how many tokens
are outside the vocabulary).

The rules are the tokenizer block's `rules`: its `pattern` is applied with Python's re after each
\\p{X} is expanded to the code points whose unicodedata.category starts with X. Categories come from this
Python's Unicode database (unicodedata.unidata_version); a character assigned after the version named
in rules.unicode_version may fall in another category here than in the Java that trained the model.
Standard library only.
"""
import argparse
import json
import os
import re
import sys
import unicodedata

RULES_VERSION = 2
# The lm rules of version 2, for model.json files written before the tokenizer block carried them.
BUILTIN_PATTERN = (
    r"<unk>|<eos>|[\p{L}\p{Nd}\p{Nl}\p{No}](?:[\p{L}\p{Nd}\p{Nl}\p{No}\p{Mn}\p{Mc}]|['\u2019](?=[\p{L}\p{Nd}\p{Nl}\p{No}]))*"
    r"|[^\p{Zs}\p{Zl}\p{Zp}\t\n\u000B\f\r\x1C-\x1F]"
)


class TokenizerError(Exception):
    pass


# ---- reading the metadata -------------------------------------------------------------------------

def _varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise TokenizerError("truncated protobuf varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yields (field number, wire type, value) of one protobuf message; value is bytes for wire type 2."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise TokenizerError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def onnx_metadata(path):
    """The metadata_props of an ONNX file as a dict."""
    try:
        import onnx  # Debian's python3-onnx, when present
    except ImportError:
        onnx = None
    if onnx is not None:
        model = onnx.load(path, load_external_data=False)
        return {p.key: p.value for p in model.metadata_props}
    with open(path, "rb") as f:
        data = f.read()
    props = {}
    for number, wire, value in _fields(data):
        if number == 14 and wire == 2:  # ModelProto.metadata_props: StringStringEntryProto {key = 1, value = 2}
            entry = {n: v.decode("utf-8") for n, w, v in _fields(value) if w == 2}
            props[entry.get(1, "")] = entry.get(2, "")
    return props


def load_tokenizer_block(path):
    """The tokenizer block (type, analyzer, rules, symbols, ...) of a model.json, a model/run directory or an .onnx file."""
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "model.json")):
            return load_tokenizer_block(os.path.join(path, "model.json"))
        for pointer in ("best.json", "latest.json"):
            p = os.path.join(path, pointer)
            if os.path.isfile(p):
                with open(p, encoding="utf-8") as f:
                    return load_tokenizer_block(os.path.join(path, json.load(f)["checkpoint"]))
        raise TokenizerError(f"{path} holds no model.json, best.json or latest.json")
    if path.endswith(".onnx"):
        meta = onnx_metadata(path)
        if "ballast.tokenizer" not in meta:
            raise TokenizerError(f"{path} has no ballast.tokenizer metadata (not exported by Ballast?)")
        block = json.loads(meta["ballast.tokenizer"])
        if "symbols" not in block and "ballast.vocabulary" in meta:
            block["symbols"] = json.loads(meta["ballast.vocabulary"])
        return block
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc["tokenizer"] if "tokenizer" in doc else doc


# ---- \p{X} for Python's re ------------------------------------------------------------------------

_category_ranges = None


def _ranges_of(category):
    """The code point ranges whose general category starts with `category` (L, Nd, Zs, ...)."""
    global _category_ranges
    if _category_ranges is None:
        _category_ranges = {}
        start, current = 0, unicodedata.category(chr(0))
        for cp in range(1, sys.maxunicode + 2):
            cat = unicodedata.category(chr(cp)) if cp <= sys.maxunicode else None
            if cat != current:
                _category_ranges.setdefault(current, []).append((start, cp - 1))
                start, current = cp, cat
    ranges = [r for cat, rs in _category_ranges.items() if cat.startswith(category) for r in rs]
    if not ranges:
        raise TokenizerError(f"unknown Unicode category \\p{{{category}}} in rules.pattern")
    return sorted(ranges)


def _class_body(category):
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in _ranges_of(category))


def python_pattern(pattern):
    """Rewrites \\p{X} (inside or outside a character class) into explicit code point ranges."""
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n in "pP" and pattern.startswith("{", i + 2):
                end = pattern.index("}", i + 3)
                body = _class_body(pattern[i + 3:end])
                if n == "P":
                    if in_class:
                        raise TokenizerError("\\P{..} inside a character class is not supported")
                    out.append("[^" + body + "]")
                else:
                    out.append(body if in_class else "[" + body + "]")
                i = end + 1
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):  # a leading ] is literal
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


# ---- tokenizing -----------------------------------------------------------------------------------

class LmTokenizer:
    def __init__(self, block, warn=None):
        if block.get("type") != "word":
            raise TokenizerError(f"tokenizer type is '{block.get('type')}'; this script reads word models")
        analyzer = block.get("analyzer", "lm")
        rules = block.get("rules")
        if rules is None:
            if analyzer != "lm":
                raise TokenizerError(f"analyzer '{analyzer}' has no portable rules (only the lm preset does)")
            if warn:
                warn("the tokenizer block has no rules (a model.json written before they were saved): using the"
                     f" built-in lm rules version {RULES_VERSION}")
            rules = {"preset": "lm", "version": RULES_VERSION, "pattern": BUILTIN_PATTERN}
        if rules.get("version", 0) > RULES_VERSION:
            raise TokenizerError(f"rules.version {rules.get('version')} is newer than this script's {RULES_VERSION}")
        self.regex = re.compile(python_pattern(rules["pattern"]))
        self.symbols = block["symbols"]
        self.ids = {s: i for i, s in enumerate(self.symbols)}
        self.line_end = block.get("line_end_token", "<eos>")
        self.unknown_id = block.get("unknown_id", 0)
        self.start_id = block.get("start", {}).get("id", self.ids.get(self.line_end, -1))

    def line_tokens(self, line):
        """The tokens of one line (without its line break)."""
        return self.regex.findall(line)

    def tokens(self, text):
        out = []
        lines = text.split("\n")
        for i, line in enumerate(lines):
            out.extend(self.line_tokens(line))
            if i < len(lines) - 1:
                out.append(self.line_end)
        return out

    def id(self, token):
        return self.ids.get(token, self.unknown_id)

    def encode(self, text):
        return [self.id(t) for t in self.tokens(text)]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Token ids of a text for a Ballast word model (lm analyzer).")
    ap.add_argument("model", help="model.json, a model/checkpoint/run directory, or an exported .onnx file")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--text", help="the text (default: standard input)")
    src.add_argument("--file", help="read the text from this UTF-8 file")
    ap.add_argument("--json", action="store_true", help="print one JSON object: ids, tokens, start_id, unknown")
    args = ap.parse_args(argv)
    try:
        tok = LmTokenizer(load_tokenizer_block(args.model), warn=lambda m: print("lm_tokenizer: " + m, file=sys.stderr))
    except (OSError, ValueError, KeyError, TokenizerError) as e:
        print(f"lm_tokenizer: {args.model}: {e}", file=sys.stderr)
        return 2
    if args.text is not None:
        text = args.text
    elif args.file is not None:
        with open(args.file, encoding="utf-8", newline="") as f:  # newline="": keep \r as it is
            text = f.read()
    else:
        text = open(sys.stdin.fileno(), encoding="utf-8", newline="").read()
    out = sys.stdout
    out.reconfigure(encoding="utf-8")
    if args.json:
        tokens = tok.tokens(text)
        ids = [tok.id(t) for t in tokens]
        unknown = sum(1 for t in tokens if t not in tok.ids)
        json.dump({"ids": ids, "tokens": tokens, "start_id": tok.start_id, "unknown": unknown}, out, ensure_ascii=False)
        out.write("\n")
        return 0
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
        ended = len(lines)
    else:
        ended = len(lines) - 1
    end_id = tok.id(tok.line_end)
    for i, line in enumerate(lines):
        ids = [tok.id(t) for t in tok.line_tokens(line)]
        if i < ended:
            ids.append(end_id)
        out.write(" ".join(map(str, ids)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
