// Times velocityjs on one workload with small $input/$util stand-ins (no process start-up counted).
// usage: node velocityjs_bench.js TEMPLATE BODY_FILE REQUEST_JSON ITERATIONS
// prints {"seconds_per_render": ..., "output_length": ...}
'use strict';
const fs = require('fs');
const Velocity = require('velocityjs');

const [templatePath, bodyPath, requestPath, iterations] = process.argv.slice(2);
const template = fs.readFileSync(templatePath, 'utf8');
const body = fs.readFileSync(bodyPath, 'utf8');
const request = JSON.parse(fs.readFileSync(requestPath, 'utf8'));

function walk(data, path) {
  if (path === '$') return data;
  let value = data;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value;
}

function variables() {
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
}

const compiled = Velocity.parse(template);
let output = '';
for (let i = 0; i < 3; i++) output = new Velocity.Compile(compiled).render(variables());
const n = Number(iterations);
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) output = new Velocity.Compile(compiled).render(variables());
const seconds = Number(process.hrtime.bigint() - start) / 1e9 / n;
process.stdout.write(JSON.stringify({ seconds_per_render: seconds, output_length: output.length }));
