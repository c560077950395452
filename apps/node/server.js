'use strict';
// StackLab's Node.js reference app: node:http in one cluster worker per CPU, pg's Pool in each, serving
// the standard app API (docs/app-api.md) on PostgreSQL.
//
// Settings come from flags or the environment (a flag beats its variable): --host/HOST (127.0.0.1),
// --port/PORT (8080, 0 for any free one), --threads/THREADS (cluster workers; default one per CPU the
// process may use) and --database-url/DATABASE_URL (without it the database endpoints answer 503).
// The primary seeds World, starts the workers and, once all of them listen, prints
// "stacklab-node listening on http://HOST:PORT (...)" on stdout. SIGTERM or SIGINT stop it gracefully.
// pg comes from Debian's node-pg (scripts/install-runtimes.sh node; apps/node/build.sh links it).

const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');
const { parseArgs } = require('node:util');

const NAME = 'stacklab-node';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const ROWS = 10000;
const SELECT = 'SELECT id, randomNumber FROM World WHERE id = $1';
const UPDATE =
  'UPDATE World SET randomNumber = fresh.randomNumber ' +
  'FROM unnest($1::integer[], $2::integer[]) AS fresh(id, randomNumber) WHERE World.id = fresh.id';

function fail(message, code) {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

function readConfig() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        threads: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${error.message} (see --help)`, 2);
  }
  if (values.help) {
    process.stdout.write(
      'usage: node server.js [--host HOST] [--port PORT] [--threads N] [--database-url URL]\n' +
        '  (or HOST, PORT, THREADS, DATABASE_URL in the environment)\n');
    process.exit(0);
  }
  const env = (key) => (process.env[key] ? process.env[key] : undefined);
  const portText = values.port ?? env('PORT') ?? '8080';
  const threadsText = values.threads ?? env('THREADS');
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) fail(`port '${portText}' is not a number in 0...65535`, 2);
  let threads = os.availableParallelism(); // follows the affinity mask
  if (threadsText !== undefined) {
    threads = /^\d+$/.test(threadsText) ? Number(threadsText) : 0;
    if (threads < 1) fail(`threads '${threadsText}' is not a number of at least 1`, 2);
  }
  return {
    host: values.host ?? env('HOST') ?? '127.0.0.1',
    port,
    threads,
    databaseURL: values['database-url'] ?? env('DATABASE_URL'),
  };
}

function loadPg() {
  try {
    return require('pg');
  } catch (error) {
    fail(`cannot load pg (${error.code}); run scripts/install-runtimes.sh node and apps/node/build.sh`, 1);
  }
}

function describe(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    fail('DATABASE_URL is not a URL', 2);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Creates World when it is missing and inserts whichever of its 10,000 ids are absent, waiting at most
// 30 s for a server that is still starting.
async function seed(url) {
  const { Client } = loadPg();
  const deadline = Date.now() + 30000;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() >= deadline) {
        throw new Error(`the postgres ${describe(url)} database did not get ready within 30 seconds; is it running? (${error.message})`);
      }
      await sleep(250);
      continue;
    }
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)');
      const { rows } = await client.query(`SELECT count(*)::integer AS n FROM World WHERE id BETWEEN 1 AND ${ROWS}`);
      if (rows[0].n < ROWS) {
        await client.query(
          `INSERT INTO World (id, randomNumber) SELECT x, least(floor(random() * ${ROWS} + 1), ${ROWS})::integer ` +
            `FROM generate_series(1, ${ROWS}) AS x ON CONFLICT (id) DO NOTHING`);
      }
      return;
    } finally {
      await client.end();
    }
  }
}

// The count /queries and /updates work on: missing, empty, zero, negative or non-numeric means 1; any
// number above 500, however many digits, means 500.
function queryCount(url) {
  const mark = url.indexOf('?');
  if (mark < 0) return 1;
  const text = new URLSearchParams(url.slice(mark + 1)).get('queries');
  if (text === null || !/^[+-]?\d+$/.test(text)) return 1;
  const number = Number(text); // a very long run of digits is a large (finite or infinite) number
  return number < 1 ? 1 : number > 500 ? 500 : number;
}

const randomID = () => 1 + Math.floor(Math.random() * ROWS);

function worldStore(pool) {
  const fetch = async (client, id) => {
    const { rows } = await client.query({ name: 'world-select', text: SELECT, values: [id] });
    return { id: rows[0].id, randomNumber: rows[0].randomnumber };
  };
  return {
    randomWorld: () => fetch(pool, randomID()),
    // count random rows, one SELECT each, on one leased connection.
    async randomWorlds(count) {
      const client = await pool.connect();
      try {
        const worlds = new Array(count);
        for (let i = 0; i < count; i++) worlds[i] = await fetch(client, randomID());
        return worlds;
      } finally {
        client.release();
      }
    },
    // count distinct random rows read one by one, each given a new random number (never its old one),
    // then written with one UPDATE, ids ascending so that concurrent updates lock rows in the same order.
    async updateWorlds(count) {
      const ids = new Set();
      while (ids.size < count) ids.add(randomID());
      const client = await pool.connect();
      try {
        const worlds = [];
        for (const id of ids) {
          const world = await fetch(client, id);
          const old = world.randomNumber;
          while (world.randomNumber === old) world.randomNumber = randomID();
          worlds.push(world);
        }
        const ordered = [...worlds].sort((a, b) => a.id - b.id);
        await client.query({
          name: 'world-update',
          text: UPDATE,
          values: [ordered.map((w) => w.id), ordered.map((w) => w.randomNumber)],
        });
        return worlds;
      } finally {
        client.release();
      }
    },
  };
}

function send(res, status, type, body) {
  res.writeHead(status, {
    Server: NAME,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

const text = (res, status, body) => send(res, status, TEXT, body);

// The body of /bytes/N, cut from one buffer made at start: the route measures the server and its proxies
// (Istio's method asks for 1 KiB responses), not filling memory. N is decimal digits, 0 to 1 MiB; anything
// else is not the route (a 404).
const MAX_SIZED_BODY = 1 << 20;
const FILLED = Buffer.alloc(MAX_SIZED_BODY, 'x');
function sizedCount(path) {
  const match = /^\/bytes\/(\d{1,7})$/.exec(path);
  if (match === null) return null;
  const count = Number(match[1]);
  return count <= MAX_SIZED_BODY ? count : null;
}

function handler(store) {
  const database = async (res, path, work) => {
    if (!store) {
      text(res, 503, '503 Service Unavailable: no database (DATABASE_URL is not set)');
      return;
    }
    try {
      send(res, 200, JSON_TYPE, JSON.stringify(await work()));
    } catch (error) {
      process.stderr.write(`${NAME}: request failed: path=${path} error=${error.message}\n`);
      text(res, 500, '500 Internal Server Error');
    }
  };
  return (req, res) => {
    const mark = req.url.indexOf('?');
    const path = mark < 0 ? req.url : req.url.slice(0, mark);
    if (req.method !== 'GET') return text(res, 404, '404 Not Found');
    const sized = sizedCount(path);
    if (sized !== null) return send(res, 200, TEXT, FILLED.subarray(0, sized));
    switch (path) {
      case '/plaintext':
        return text(res, 200, 'Hello, World!');
      case '/json':
        // A fresh object serialised on every request, as TechEmpower's rules ask.
        return send(res, 200, JSON_TYPE, JSON.stringify({ message: 'Hello, World!' }));
      case '/health':
        return text(res, 200, 'ok');
      case '/db':
        return database(res, path, () => store.randomWorld());
      case '/queries':
        return database(res, path, () => store.randomWorlds(queryCount(req.url)));
      case '/updates':
        return database(res, path, () => store.updateWorlds(queryCount(req.url)));
      default:
        return text(res, 404, '404 Not Found');
    }
  };
}

// Serves in this process; calls ready(address) once bound and returns a function that stops it.
function serve(config, poolSize, ready) {
  let pool = null;
  if (config.databaseURL) {
    const { Pool } = loadPg();
    pool = new Pool({ connectionString: config.databaseURL, max: poolSize });
    pool.on('error', (error) => process.stderr.write(`${NAME}: idle client error: ${error.message}\n`));
  }
  const server = http.createServer({ keepAliveTimeout: 120000 }, handler(pool && worldStore(pool)));
  server.on('error', (error) => fail(`cannot listen on ${config.host}:${config.port}: ${error.message}`, 1));
  server.listen(config.port, config.host, () => ready(server.address()));
  // Stop accepting, let requests in flight finish (idle keep-alive connections close), end the pool.
  return () =>
    new Promise((resolve) => {
      server.close(() => (pool ? pool.end().then(resolve, resolve) : resolve()));
      server.closeIdleConnections();
    });
}

function readyLine(config, address) {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const database = config.databaseURL ? `postgres ${describe(config.databaseURL)}` : 'no database';
  return `${NAME} listening on http://${host}:${address.port} (${database}, ${config.threads} worker${config.threads > 1 ? 's' : ''})\n`;
}

function onSignals(stop) {
  let stopping = false;
  const handle = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 10000).unref(); // requests in flight get at most 10 s
    stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

async function primary() {
  const config = readConfig();
  if (config.databaseURL) {
    describe(config.databaseURL);
    await seed(config.databaseURL).catch((error) => fail(error.message, 1));
  }
  // The PostgreSQL connections match the Swift app's pool, max(8, 4 × threads), shared among workers.
  const poolSize = Math.max(1, Math.ceil(Math.max(8, 4 * config.threads) / config.threads));
  if (config.threads === 1) {
    // One CPU: serve here, without a primary process that would only pass connections on.
    const stop = serve(config, poolSize, (address) => process.stdout.write(readyLine(config, address)));
    onSignals(stop);
    return;
  }
  const env = { STACKLAB_NODE_CONFIG: JSON.stringify({ ...config, poolSize }) };
  let listening = 0;
  let stopping = false;
  const workers = new Set();
  const fork = () => {
    const worker = cluster.fork(env);
    workers.add(worker);
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (workers.size === 0) process.exit(0);
      } else {
        // A worker that dies is replaced, as a production cluster would.
        process.stderr.write(`${NAME}: worker ${worker.process.pid} exited (${signal || code}); starting another\n`);
        fork();
      }
    });
    worker.on('message', (message) => {
      if (message && message.listening && ++listening === config.threads) {
        process.stdout.write(readyLine(config, message.listening));
      }
    });
  };
  for (let i = 0; i < config.threads; i++) fork();
  const stop = () => {
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGTERM');
    return new Promise(() => {}); // the last worker's exit ends the primary
  };
  onSignals(stop);
}

function worker() {
  const { poolSize, ...config } = JSON.parse(process.env.STACKLAB_NODE_CONFIG);
  const stop = serve(config, poolSize, (address) => process.send({ listening: { port: address.port } }));
  onSignals(stop);
}

if (cluster.isPrimary) primary();
else worker();
