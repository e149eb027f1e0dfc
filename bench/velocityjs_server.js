// velocityjs (serverless-offline's engine) as a long-lived benchmark candidate.
//
// One node process serves every round of a benchmark run, so V8's JIT has long settled by the
// time anything is timed. Each workload's template is parsed once and rendered by one reused
// Velocity.Compile; before the first timed round it is warmed up with thousands of renders.
//
// usage: node velocityjs_server.js SPEC_JSON
//   SPEC_JSON: [{"name", "template", "body", "request", "warmup", "warmupSeconds"}...] (file paths):
//   each workload is warmed up with `warmup` renders, or for `warmupSeconds` when that comes first
//   (the 10 MB passthrough and the 10,000-iteration loop), and never fewer than 20 renders.
// Then, on stdin, one line per timed round: "<workload index> <renders>"; the answer on stdout is
// one line {"seconds_per_render": s, "output_length": n}. "ready" is printed once warm.
'use strict';
const fs = require('fs');
const readline = require('readline');
const Velocity = require('velocityjs');

// Small stand-ins for API Gateway's variables (velocityjs cannot use vtlgw's Python objects).
function walk(data, path) {
  if (path === '$') return data;
  let value = data;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value;
}

function makeVariables(body, request) {
  return function variables() {
    // Built for every render, as each request brings its own body: the body is parsed per render.
    const parsed = JSON.parse(body || '{}');
    const headers = request.headers || {};
    const query = request.queryStringParameters || {};
    return {
      input: {
        body,
        json: (path) => JSON.stringify(walk(parsed, path)),
        path: (path) => walk(parsed, path),
        params: (name) => (name === undefined ? { path: {}, querystring: query, header: headers }
                                              : (query[name] ?? headers[name] ?? '')),
      },
      util: {
        escapeJavaScript: (s) => JSON.stringify(String(s)).slice(1, -1).replace(/'/g, "\\'"),
        urlEncode: (s) => encodeURIComponent(String(s)),
        parseJson: (s) => JSON.parse(s),
      },
      context: { stage: 'prod', requestId: 'id', identity: { sourceIp: '203.0.113.7' },
                 responseOverride: { header: {} } },
      stageVariables: request.stageVariables || {},
    };
  };
}

function prepare(spec) {
  const template = fs.readFileSync(spec.template, 'utf8');
  const body = spec.body ? fs.readFileSync(spec.body, 'utf8') : '';
  const request = spec.request ? JSON.parse(fs.readFileSync(spec.request, 'utf8')) : {};
  const compile = new Velocity.Compile(Velocity.parse(template)); // compiled once, reused
  const variables = makeVariables(body, request);
  const expected = new Velocity.Compile(Velocity.parse(template)).render(variables()).length;
  const render = () => compile.render(variables());
  const until = process.hrtime.bigint() + BigInt(Math.round(spec.warmupSeconds * 1e9));
  for (let i = 0; i < spec.warmup && (i < 20 || process.hrtime.bigint() < until); i++) {
    if (render().length !== expected) throw new Error(`${spec.name}: a reused Compile rendered differently`);
  }
  return { render, expected };
}

const specs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const prepared = specs.map(prepare);
process.stdout.write('ready\n');

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [index, renders] = line.trim().split(/\s+/).map(Number);
  const { render, expected } = prepared[index];
  let output = '';
  const start = process.hrtime.bigint();
  for (let i = 0; i < renders; i++) output = render();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9 / renders;
  if (output.length !== expected) throw new Error(`${specs[index].name}: output changed`);
  process.stdout.write(JSON.stringify({ seconds_per_render: seconds, output_length: output.length }) + '\n');
});
