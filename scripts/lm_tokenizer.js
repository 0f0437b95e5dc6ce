#!/usr/bin/env node
// Reference tokenizer for Ballast word models with the `lm` analyzer, from the model's metadata alone.
//
// Usage:
//   node scripts/lm_tokenizer.js MODEL [--text TEXT | --file FILE] [--json]
//
// MODEL is a model.json file, a model or checkpoint directory holding one, a run directory (its
// best.json, else latest.json, names the checkpoint), or an exported .onnx file (its ballast.tokenizer
// metadata, read with the small protobuf reader below). The text comes from --text, --file (UTF-8) or
// standard input.
//
// Output: one line per input line, the ids of its tokens separated by spaces, the line-end id (<eos>)
// included; a last line without a line break is printed too, without the line-end id. With --json, one
// object: ids, tokens, start_id (the id a model is fed before the first token) and unknown (how many
// tokens are outside the vocabulary).
//
// The rules are the tokenizer block's `rules.pattern`, applied as it is: new RegExp(pattern, 'gu').
// Unicode categories are this Node's (its ICU's Unicode version); a character assigned after the
// version named in rules.unicode_version may fall in another category here than in the Java that
// trained the model. Node 20, no dependencies.
'use strict';
const fs = require('fs');
const path = require('path');

const RULES_VERSION = 2;
// The lm rules of version 2, for model.json files written before the tokenizer block carried them.
const BUILTIN_PATTERN = String.raw`<unk>|<eos>|[\p{L}\p{Nd}\p{Nl}\p{No}](?:[\p{L}\p{Nd}\p{Nl}\p{No}\p{Mn}\p{Mc}]|['\u2019](?=[\p{L}\p{Nd}\p{Nl}\p{No}]))*`
  + String.raw`|[^\p{Zs}\p{Zl}\p{Zp}\t\n\u000B\f\r\x1C-\x1F]`;

class TokenizerError extends Error {}

// ---- reading the metadata ------------------------------------------------------------------------

function varint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new TokenizerError('truncated protobuf varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos];
    shift += 7n;
  }
}

/** The fields of one protobuf message: [number, wire type, value] (a Buffer for wire type 2). */
function* fields(buf) {
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = varint(buf, pos);
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value;
    if (wire === 0) {
      [value, pos] = varint(buf, pos);
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8); pos += 8;
    } else if (wire === 2) {
      let size;
      [size, pos] = varint(buf, pos);
      value = buf.subarray(pos, pos + Number(size)); pos += Number(size);
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4); pos += 4;
    } else {
      throw new TokenizerError(`unsupported protobuf wire type ${wire}`);
    }
    yield [number, wire, value];
  }
}

/** The metadata_props of an ONNX file (ModelProto field 14: StringStringEntryProto {key = 1, value = 2}). */
function onnxMetadata(file) {
  const props = {};
  for (const [number, wire, value] of fields(fs.readFileSync(file))) {
    if (number === 14 && wire === 2) {
      const entry = {};
      for (const [n, w, v] of fields(value)) if (w === 2) entry[n] = v.toString('utf8');
      props[entry[1] ?? ''] = entry[2] ?? '';
    }
  }
  return props;
}

/** The tokenizer block of a model.json, a model/run directory or an .onnx file. */
function loadTokenizerBlock(file) {
  if (fs.statSync(file).isDirectory()) {
    if (fs.existsSync(path.join(file, 'model.json'))) return loadTokenizerBlock(path.join(file, 'model.json'));
    for (const pointer of ['best.json', 'latest.json']) {
      const p = path.join(file, pointer);
      if (fs.existsSync(p)) return loadTokenizerBlock(path.join(file, JSON.parse(fs.readFileSync(p, 'utf8')).checkpoint));
    }
    throw new TokenizerError(`${file} holds no model.json, best.json or latest.json`);
  }
  if (file.endsWith('.onnx')) {
    const meta = onnxMetadata(file);
    if (!('ballast.tokenizer' in meta)) throw new TokenizerError(`${file} has no ballast.tokenizer metadata (not exported by Ballast?)`);
    const block = JSON.parse(meta['ballast.tokenizer']);
    if (!block.symbols && meta['ballast.vocabulary']) block.symbols = JSON.parse(meta['ballast.vocabulary']);
    return block;
  }
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  return doc.tokenizer ?? doc;
}

// ---- tokenizing ----------------------------------------------------------------------------------

class LmTokenizer {
  constructor(block, warn) {
    if (block.type !== 'word') throw new TokenizerError(`tokenizer type is '${block.type}'; this script reads word models`);
    const analyzer = block.analyzer ?? 'lm';
    let rules = block.rules;
    if (!rules) {
      if (analyzer !== 'lm') throw new TokenizerError(`analyzer '${analyzer}' has no portable rules (only the lm preset does)`);
      if (warn) warn(`the tokenizer block has no rules (a model.json written before they were saved): using the built-in lm rules version ${RULES_VERSION}`);
      rules = { preset: 'lm', version: RULES_VERSION, pattern: BUILTIN_PATTERN };
    }
    if ((rules.version ?? 0) > RULES_VERSION) throw new TokenizerError(`rules.version ${rules.version} is newer than this script's ${RULES_VERSION}`);
    this.regex = new RegExp(rules.pattern, 'gu');
    this.symbols = block.symbols;
    this.ids = new Map(this.symbols.map((s, i) => [s, i]));
    this.lineEnd = block.line_end_token ?? '<eos>';
    this.unknownId = block.unknown_id ?? 0;
    this.startId = block.start?.id ?? (this.ids.has(this.lineEnd) ? this.ids.get(this.lineEnd) : -1);
  }

  /** The tokens of one line (without its line break). */
  lineTokens(line) {
    return Array.from(line.matchAll(this.regex), (m) => m[0]);
  }

  tokens(text) {
    const out = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      out.push(...this.lineTokens(line));
      if (i < lines.length - 1) out.push(this.lineEnd);
    });
    return out;
  }

  id(token) {
    const id = this.ids.get(token);
    return id === undefined ? this.unknownId : id;
  }

  encode(text) {
    return this.tokens(text).map((t) => this.id(t));
  }
}

function main(argv) {
  const args = { model: null, text: null, file: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--text') args.text = argv[++i];
    else if (a === '--file') args.file = argv[++i];
    else if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') { process.stdout.write(usage()); return 0; }
    else if (args.model === null && !a.startsWith('--')) args.model = a;
    else { process.stderr.write(`lm_tokenizer: unexpected argument '${a}'\n${usage()}`); return 2; }
  }
  if (args.model === null || (args.text !== null && args.file !== null)) {
    process.stderr.write(usage());
    return 2;
  }
  let tok;
  try {
    tok = new LmTokenizer(loadTokenizerBlock(args.model), (m) => process.stderr.write(`lm_tokenizer: ${m}\n`));
  } catch (e) {
    process.stderr.write(`lm_tokenizer: ${args.model}: ${e.message}\n`);
    return 2;
  }
  const text = args.text ?? fs.readFileSync(args.file ?? 0, 'utf8');
  if (args.json) {
    const tokens = tok.tokens(text);
    const ids = tokens.map((t) => tok.id(t));
    const unknown = tokens.filter((t) => !tok.ids.has(t)).length;
    process.stdout.write(JSON.stringify({ ids, tokens, start_id: tok.startId, unknown }) + '\n');
    return 0;
  }
  const lines = text.split('\n');
  let ended = lines.length - 1;
  if (lines[lines.length - 1] === '') {
    lines.pop();
    ended = lines.length;
  }
  const endId = tok.id(tok.lineEnd);
  const out = lines.map((line, i) => {
    const ids = tok.lineTokens(line).map((t) => tok.id(t));
    if (i < ended) ids.push(endId);
    return ids.join(' ') + '\n';
  });
  process.stdout.write(out.join(''));
  return 0;
}

function usage() {
  return 'usage: node scripts/lm_tokenizer.js MODEL [--text TEXT | --file FILE] [--json]\n'
    + '  MODEL: model.json, a model/checkpoint/run directory, or an exported .onnx file\n';
}

module.exports = { LmTokenizer, loadTokenizerBlock, onnxMetadata };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
