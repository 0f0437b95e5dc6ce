#!/usr/bin/env node
// Runs an exported Ballast model in a second runtime, onnxruntime-node, and compares its
// log-probabilities with the ones Ballast wrote (`ballast score --json`).
//
// Usage:
//   ballast score --model model.onnx --text "To be, or not to be" --json > dump.json
//   node scripts/check_onnx_node.js model.onnx dump.json
// onnxruntime-node is found through NODE_PATH, or installed into a temporary directory when missing:
//   npm install --ignore-scripts onnxruntime-node   (the CPU binary is inside the package)
// Exits 1 when the largest absolute difference exceeds 1e-4.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ortnode-'));
    console.error(`installing onnxruntime-node into ${dir}`);
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', dir, 'onnxruntime-node'],
      { stdio: 'inherit' });
    return require(path.join(dir, 'node_modules', 'onnxruntime-node'));
  }
}

async function main() {
  const [modelPath, dumpPath] = process.argv.slice(2);
  if (!modelPath || !dumpPath) {
    console.error('usage: node check_onnx_node.js model.onnx dump.json');
    process.exit(2);
  }
  const ort = loadOrt();
  const dump = JSON.parse(fs.readFileSync(dumpPath, 'utf8'));
  const { layers, hidden, vocab_size: vocab, cell } = dump.model;
  const inputs = dump.input_ids;
  const targets = dump.target_ids;
  const session = await ort.InferenceSession.create(modelPath);
  const state = () => new ort.Tensor('float32', new Float32Array(layers * hidden), [layers, 1, hidden]);
  const feeds = {
    tokens: new ort.Tensor('int64', BigInt64Array.from(inputs.map(BigInt)), [inputs.length, 1]),
    h0: state(),
  };
  if (cell === 'lstm') feeds.c0 = state();
  const out = await session.run(feeds);
  const logProbs = out.log_probs.data;
  let worst = 0;
  let total = 0;
  for (let t = 0; t < inputs.length; t++) {
    const lp = logProbs[t * vocab + targets[t]];
    total += lp;
    worst = Math.max(worst, Math.abs(lp - dump.per_token[t].log_prob));
  }
  const ok = worst <= 1e-4;
  console.log(`onnxruntime-node ${require.main === module ? ort.env.versions?.common ?? '' : ''}: ${inputs.length} tokens, ` +
    `total log-prob ${total.toFixed(6)} (Ballast ${dump.total_log_prob.toFixed(6)}), ` +
    `max |difference| ${worst.toExponential(3)} -> ${ok ? 'ok' : 'MISMATCH'}`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`check_onnx_node: ${e.message}`);
  process.exit(1);
});
