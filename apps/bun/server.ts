// StackLab's Bun reference app: Bun.serve and Bun.sql (Bun's built-in PostgreSQL client, a pool),
// serving the standard app API (docs/app-api.md) on PostgreSQL, in one process per CPU that all bind
// the same port with SO_REUSEPORT.
//
// Settings come from flags or the environment (a flag beats its variable): --host/HOST (127.0.0.1),
// --port/PORT (8080, 0 for any free one), --threads/THREADS (processes; default one per CPU the
// process may use) and --database-url/DATABASE_URL (without it the database endpoints answer 503).
// The first process seeds World, binds, starts the others on its port and, once all of them listen,
// prints "stacklab-bun listening on http://HOST:PORT (...)" on stdout. SIGTERM or SIGINT stop it
// gracefully.

import { SQL, type Server, type Subprocess } from "bun";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

const NAME = "stacklab-bun";
const TEXT = "text/plain; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
const ROWS = 10000;
const WORKER_ENV = "STACKLAB_BUN_WORKER";

interface Config {
  host: string;
  port: number;
  threads: number;
  databaseURL?: string;
  poolSize: number;
}

interface World {
  id: number;
  randomNumber: number;
}

function fail(message: string, code: number): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

function readConfig(): Config {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: Bun.argv.slice(2),
      options: {
        host: { type: "string" },
        port: { type: "string" },
        threads: { type: "string" },
        "database-url": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message} (see --help)`, 2);
  }
  if (values.help) {
    process.stdout.write(
      "usage: stacklab-bun [--host HOST] [--port PORT] [--threads N] [--database-url URL]\n" +
        "  (or HOST, PORT, THREADS, DATABASE_URL in the environment)\n",
    );
    process.exit(0);
  }
  const env = (key: string) => process.env[key] || undefined;
  const portText = (values.port as string | undefined) ?? env("PORT") ?? "8080";
  const threadsText = (values.threads as string | undefined) ?? env("THREADS");
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) fail(`port '${portText}' is not a number in 0...65535`, 2);
  let threads = availableParallelism(); // follows the affinity mask
  if (threadsText !== undefined) {
    threads = /^\d+$/.test(threadsText) ? Number(threadsText) : 0;
    if (threads < 1) fail(`threads '${threadsText}' is not a number of at least 1`, 2);
  }
  const databaseURL = (values["database-url"] as string | undefined) ?? env("DATABASE_URL");
  if (databaseURL) describe(databaseURL);
  // The PostgreSQL connections match the Swift app's pool, max(8, 4 × threads), shared among processes.
  const poolSize = Math.max(1, Math.ceil(Math.max(8, 4 * threads) / threads));
  return { host: (values.host as string | undefined) ?? env("HOST") ?? "127.0.0.1", port, threads, databaseURL, poolSize };
}

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    fail("DATABASE_URL is not a URL", 2);
  }
}

// Creates World when it is missing and inserts whichever of its 10,000 ids are absent, waiting at most
// 30 s for a server that is still starting.
async function seed(url: string): Promise<void> {
  const deadline = Date.now() + 30000;
  for (;;) {
    const sql = new SQL({ url, max: 1 });
    try {
      await sql`SELECT 1`;
    } catch (error) {
      await sql.close().catch(() => {});
      if (Date.now() >= deadline) {
        throw new Error(
          `the postgres ${describe(url)} database did not get ready within 30 seconds; is it running? (${(error as Error).message})`,
        );
      }
      await Bun.sleep(250);
      continue;
    }
    try {
      await sql.unsafe(
        "CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)",
      );
      const [{ n }] = await sql.unsafe(`SELECT count(*)::integer AS n FROM World WHERE id BETWEEN 1 AND ${ROWS}`);
      if (n < ROWS) {
        await sql.unsafe(
          `INSERT INTO World (id, randomNumber) SELECT x, least(floor(random() * ${ROWS} + 1), ${ROWS})::integer ` +
            `FROM generate_series(1, ${ROWS}) AS x ON CONFLICT (id) DO NOTHING`,
        );
      }
      return;
    } finally {
      await sql.close();
    }
  }
}

// The count /queries and /updates work on: missing, empty, zero, negative or non-numeric means 1; any
// number above 500, however many digits, means 500.
function queryCount(url: URL): number {
  const text = url.searchParams.get("queries");
  if (text === null || !/^[+-]?\d+$/.test(text)) return 1;
  const number = Number(text);
  return number < 1 ? 1 : number > 500 ? 500 : number;
}

const randomID = () => 1 + Math.floor(Math.random() * ROWS);

// Bun.sql prepares each statement once per connection; the table name is unquoted, so PostgreSQL
// answers with the column `randomnumber`.
async function fetchWorld(sql: SQL, id: number): Promise<World> {
  const [row] = await sql`SELECT id, randomNumber FROM World WHERE id = ${id}`;
  return { id: row.id, randomNumber: row.randomnumber };
}

function worldStore(sql: SQL) {
  return {
    randomWorld: () => fetchWorld(sql, randomID()),
    // count random rows, one SELECT each, on one reserved connection.
    async randomWorlds(count: number): Promise<World[]> {
      const connection = await sql.reserve();
      try {
        const worlds: World[] = new Array(count);
        for (let i = 0; i < count; i++) worlds[i] = await fetchWorld(connection, randomID());
        return worlds;
      } finally {
        connection.release();
      }
    },
    // count distinct random rows read one by one, each given a new random number (never its old one),
    // then written with one UPDATE, ids ascending so that concurrent updates lock rows in the same order.
    async updateWorlds(count: number): Promise<World[]> {
      const ids = new Set<number>();
      while (ids.size < count) ids.add(randomID());
      const connection = await sql.reserve();
      try {
        const worlds: World[] = [];
        for (const id of ids) {
          const world = await fetchWorld(connection, id);
          const old = world.randomNumber;
          while (world.randomNumber === old) world.randomNumber = randomID();
          worlds.push(world);
        }
        const ordered = [...worlds].sort((a, b) => a.id - b.id);
        const orderedIDs = ordered.map((w) => w.id);
        const numbers = ordered.map((w) => w.randomNumber);
        await connection`UPDATE World SET randomNumber = fresh.randomNumber
          FROM unnest(${orderedIDs}::integer[], ${numbers}::integer[]) AS fresh(id, randomNumber)
          WHERE World.id = fresh.id`;
        return worlds;
      } finally {
        connection.release();
      }
    },
  };
}

// Every response carries Server, Content-Type and Content-Length; Bun adds Date.
function respond(status: number, type: string, body: string | Uint8Array): Response {
  return new Response(body, {
    status,
    headers: { Server: NAME, "Content-Type": type, "Content-Length": String(Buffer.byteLength(body)) },
  });
}

const text = (status: number, body: string) => respond(status, TEXT, body);

// The body of /bytes/N, cut from one buffer made at start: the route measures the server and its proxies
// (Istio's method asks for 1 KiB responses), not filling memory. N is decimal digits, 0 to 1 MiB; anything
// else is not the route (a 404).
const MAX_SIZED_BODY = 1 << 20;
const FILLED = Buffer.alloc(MAX_SIZED_BODY, "x");
function sizedCount(path: string): number | null {
  const match = /^\/bytes\/(\d{1,7})$/.exec(path);
  if (match === null) return null;
  const count = Number(match[1]);
  return count <= MAX_SIZED_BODY ? count : null;
}

function handler(store: ReturnType<typeof worldStore> | null) {
  const database = async (path: string, work: () => Promise<unknown>) => {
    if (!store) return text(503, "503 Service Unavailable: no database (DATABASE_URL is not set)");
    try {
      return respond(200, JSON_TYPE, JSON.stringify(await work()));
    } catch (error) {
      process.stderr.write(`${NAME}: request failed: path=${path} error=${(error as Error).message}\n`);
      return text(500, "500 Internal Server Error");
    }
  };
  return (request: Request): Response | Promise<Response> => {
    if (request.method !== "GET") return text(404, "404 Not Found");
    const url = new URL(request.url);
    const sized = sizedCount(url.pathname);
    if (sized !== null) return respond(200, TEXT, FILLED.subarray(0, sized));
    switch (url.pathname) {
      case "/plaintext":
        return text(200, "Hello, World!");
      case "/json":
        // A fresh object serialised on every request, as TechEmpower's rules ask.
        return respond(200, JSON_TYPE, JSON.stringify({ message: "Hello, World!" }));
      case "/health":
        return text(200, "ok");
      case "/db":
        return database(url.pathname, () => store!.randomWorld());
      case "/queries":
        return database(url.pathname, () => store!.randomWorlds(queryCount(url)));
      case "/updates":
        return database(url.pathname, () => store!.updateWorlds(queryCount(url)));
      default:
        return text(404, "404 Not Found");
    }
  };
}

// Serves in this process; returns the server and a function that stops it gracefully.
function serve(config: Config): { server: Server; stop: () => Promise<void> } {
  const sql = config.databaseURL ? new SQL({ url: config.databaseURL, max: config.poolSize }) : null;
  let server: Server;
  try {
    server = Bun.serve({
      hostname: config.host,
      port: config.port,
      reusePort: config.threads > 1,
      idleTimeout: 120,
      fetch: handler(sql && worldStore(sql)),
    });
  } catch (error) {
    fail(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, 1);
  }
  // Stop accepting and let requests in flight finish, then close the pool.
  const stop = async () => {
    await server.stop(false);
    await sql?.close();
  };
  return { server, stop };
}

function onSignals(stop: () => Promise<void>) {
  let stopping = false;
  const handle = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 10000).unref(); // requests in flight get at most 10 s
    stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}

async function primary() {
  const config = readConfig();
  if (config.databaseURL) await seed(config.databaseURL).catch((error) => fail(error.message, 1));
  const { server, stop } = serve(config);
  const port = server.port;
  // The other processes bind the port this one got, so that --port 0 works too. A compiled binary is
  // its own entry point; `bun server.ts` needs the script named.
  const command = Bun.main.startsWith("/$bunfs/") ? [process.execPath] : [process.execPath, Bun.main];
  const children = new Set<Subprocess>();
  let listening = 1;
  let stopping = false;
  const announce = () => {
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const database = config.databaseURL ? `postgres ${describe(config.databaseURL)}` : "no database";
    const processes = `${config.threads} process${config.threads > 1 ? "es" : ""}`;
    process.stdout.write(`${NAME} listening on http://${host}:${port} (${database}, ${processes})\n`);
  };
  const spawn = () => {
    const child = Bun.spawn({
      cmd: command,
      env: { ...process.env, [WORKER_ENV]: JSON.stringify({ ...config, port }) },
      stdin: "ignore",
      stdout: "inherit",
      stderr: "inherit",
      ipc() {
        if (++listening === config.threads) announce();
      },
    });
    children.add(child);
    child.exited.then((code) => {
      children.delete(child);
      if (!stopping) {
        // A process that dies is replaced, as a production supervisor would.
        process.stderr.write(`${NAME}: process ${child.pid} exited (${code}); starting another\n`);
        listening--;
        spawn();
      }
    });
  };
  for (let i = 1; i < config.threads; i++) spawn();
  if (config.threads === 1) announce();
  onSignals(async () => {
    stopping = true;
    for (const child of children) child.kill("SIGTERM");
    await Promise.all([stop(), ...[...children].map((child) => child.exited)]);
  });
}

function worker() {
  const config: Config = JSON.parse(process.env[WORKER_ENV]!);
  const { stop } = serve(config);
  process.send?.({ listening: true });
  onSignals(stop);
}

if (process.env[WORKER_ENV]) worker();
else await primary();
