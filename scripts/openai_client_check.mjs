#!/usr/bin/env node
// Talks to `ballast serve` with OpenAI's official Node client (the `openai` npm package), unchanged, through
// POST /v1/completions and GET /v1/models: lists the model, completes, streams (server-sent events), asks for
// n = 3 completions and for log-probabilities, and checks that an unknown model is the client's NotFoundError.
//
// Usage:
//   ballast serve --model runs/shakespeare --port 8080 &
//   node scripts/openai_client_check.mjs [--url http://127.0.0.1:8080] [--api-key KEY]
// The key defaults to $BALLAST_API_KEY (any string works for a server without one). `openai` is found through
// NODE_PATH, or installed into a temporary directory (npm install --ignore-scripts openai). Loopback only by
// intent: it sends a handful of requests and exits 0 when every check passes, 1 otherwise.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function loadOpenAI() {
  let resolved;
  try {
    resolved = createRequire(import.meta.url).resolve('openai');
  } catch (e) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-client-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    console.error(`installing openai into ${dir}`);
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', dir, 'openai'],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    resolved = createRequire(path.join(dir, 'package.json')).resolve('openai');
  }
  const version = JSON.parse(fs.readFileSync(path.join(resolved.slice(0, resolved.lastIndexOf('node_modules')),
    'node_modules', 'openai', 'package.json'), 'utf8')).version;
  const mod = await import(pathToFileURL(resolved).href);
  return { OpenAI: mod.OpenAI ?? mod.default?.OpenAI ?? mod.default, version };
}

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ': ' + detail : ''}`);
  if (!ok) failures++;
}

async function main() {
  const url = option('--url', 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const apiKey = option('--api-key', process.env.BALLAST_API_KEY || 'none');
  const { OpenAI, version } = await loadOpenAI();
  console.log(`openai ${version} against ${url}`);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });

  const models = [];
  for await (const m of client.models.list()) models.push(m);
  check(models.length === 1 && typeof models[0].id === 'string', 'models.list', JSON.stringify(models));
  const model = models[0].id;

  const params = { model, prompt: 'ROMEO:', max_tokens: 24, temperature: 0.8, seed: 7 };
  const c = await client.completions.create(params);
  check(c.object === 'text_completion' && c.id.startsWith('cmpl-') && c.model === model && Number.isInteger(c.created),
    'completion envelope', `${c.id} ${c.object} ${c.model}`);
  check(c.choices.length === 1 && typeof c.choices[0].text === 'string' && c.choices[0].index === 0
    && c.choices[0].finish_reason === 'length', 'completion choice', JSON.stringify(c.choices[0].text));
  check(c.usage && c.usage.completion_tokens === 24 && c.usage.prompt_tokens > 0
    && c.usage.total_tokens === c.usage.prompt_tokens + 24, 'usage', JSON.stringify(c.usage));

  const stream = await client.completions.create({ ...params, stream: true });
  let streamed = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    for (const choice of chunk.choices) {
      streamed += choice.text;
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  check(chunks > 1 && streamed === c.choices[0].text && finish === 'length',
    'streamed (SSE, ending in [DONE])', `${chunks} chunks, same text as unstreamed: ${streamed === c.choices[0].text}`);

  // the raw stream as the client read it: events, the last one data: [DONE]
  const raw = await fetch(`${url}/v1/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ ...params, stream: true }),
  });
  const body = await raw.text();
  check(raw.headers.get('content-type').startsWith('text/event-stream') && body.endsWith('data: [DONE]\n\n'),
    'raw stream ends with data: [DONE]', JSON.stringify(body.slice(-40)));

  const three = await client.completions.create({ ...params, n: 3, max_tokens: 12 });
  const indices = three.choices.map((x) => x.index).sort();
  check(three.choices.length === 3 && indices.join() === '0,1,2'
    && three.choices.every((x) => typeof x.text === 'string' && x.finish_reason === 'length'),
    'n = 3', JSON.stringify(three.choices.map((x) => x.text)));
  check(three.usage.completion_tokens === 36, 'n = 3 usage', JSON.stringify(three.usage));

  const lp = await client.completions.create({ ...params, max_tokens: 5, logprobs: 2, stop: ['\n\n'] });
  const l = lp.choices[0].logprobs;
  check(l && l.tokens.length === l.token_logprobs.length && l.tokens.length === l.top_logprobs.length
    && l.token_logprobs.every((x) => x <= 0) && l.tokens.join('') === lp.choices[0].text, 'logprobs',
    JSON.stringify(l && l.token_logprobs));

  try {
    await client.completions.create({ ...params, model: 'no-such-model' });
    check(false, 'unknown model is an error');
  } catch (e) {
    check(e instanceof OpenAI.NotFoundError && e.status === 404, 'unknown model is NotFoundError', String(e.message));
  }

  console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`FAIL ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
