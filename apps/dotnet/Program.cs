// The .NET reference app: StackLab's standard app API (docs/app-api.md) on ASP.NET Core's minimal
// hosting (Kestrel), with PostgreSQL through Npgsql.
//
//	--host HOST          HOST          address to bind (127.0.0.1)
//	--port PORT          PORT          TCP port, 0 for any free one (8080)
//	--threads N          THREADS       minimum thread-pool workers (default: one per CPU the process may use)
//	--database-url URL   DATABASE_URL  postgres://user:pass@host:port/db; without it the database
//	                                   endpoints answer 503
//
// Ready when it prints "stacklab-dotnet listening on http://HOST:PORT (...)". SIGTERM or SIGINT stop it
// gracefully (requests in flight get at most 10 s).
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using StackLabDotnet;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"stacklab-dotnet: {error.Message}");
    return 2;
}
if (options.Threads > 0)
{
    ThreadPool.GetMinThreads(out _, out var io);
    ThreadPool.SetMinThreads(options.Threads, io);
}

WorldStore? store = null;
if (options.DatabaseUrl is { } url)
{
    try
    {
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        store = await WorldStore.Open(url, poolSize: Math.Max(8, 4 * threads));
    }
    catch (Exception error) when (error is NpgsqlException or ArgumentException or FormatException or TimeoutException)
    {
        Console.Error.WriteLine($"stacklab-dotnet: database: {error.Message}");
        return 1;
    }
}

var builder = WebApplication.CreateSlimBuilder(Array.Empty<string>());
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
});
var app = builder.Build();
var routes = new Routes(store, app.Logger);

// One middleware: the standard API's paths answer GET only, and every other request is a 404 (routing
// would answer 405 to another method on a known path).
app.Run(routes.Handle);

try
{
    await app.StartAsync();
}
catch (IOException error)
{
    Console.Error.WriteLine($"stacklab-dotnet: cannot listen on {options.Host}:{options.Port}: {error.Message}");
    return 1;
}
var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
    ?? $"http://{options.Host}:{options.Port}";
Console.WriteLine($"stacklab-dotnet listening on {bound} ({store?.Describe() ?? "no database"})");
await app.WaitForShutdownAsync();
if (store is not null) await store.DisposeAsync();
return 0;

namespace StackLabDotnet
{
    /// <summary>The app's settings: a flag beats its environment variable.</summary>
    sealed record Options(string Host, int Port, int Threads, string? DatabaseUrl)
    {
        public static Options Parse(string[] args)
        {
            var environment = Environment.GetEnvironmentVariables();
            string? Env(string name) => environment[name] as string is { Length: > 0 } value ? value : null;
            string host = Env("HOST") ?? "127.0.0.1";
            string port = Env("PORT") ?? "8080";
            string? threads = Env("THREADS");
            string? database = Env("DATABASE_URL");
            for (var index = 0; index < args.Length; index++)
            {
                var argument = args[index];
                var equals = argument.IndexOf('=');
                var name = equals > 0 ? argument[..equals] : argument;
                string Value()
                {
                    if (equals > 0) return argument[(equals + 1)..];
                    if (index + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
                    return args[++index];
                }
                switch (name)
                {
                    case "--host": host = Value(); break;
                    case "--port": port = Value(); break;
                    case "--threads": threads = Value(); break;
                    case "--database-url": database = Value(); break;
                    default: throw new ArgumentException($"unknown argument '{argument}'");
                }
            }
            if (!IPAddress.TryParse(host, out _)) throw new ArgumentException($"host must be an IP address, got '{host}'");
            if (!int.TryParse(port, out var portNumber) || portNumber < 0 || portNumber > 65535)
                throw new ArgumentException($"port must be 0...65535, got '{port}'");
            var threadCount = 0;
            if (threads is not null && (!int.TryParse(threads, out threadCount) || threadCount < 1))
                throw new ArgumentException($"threads must be at least 1, got '{threads}'");
            return new Options(host, portNumber, threadCount, database);
        }
    }

    /// <summary>One row of World, encoded as {"id":N,"randomNumber":M}.</summary>
    struct World
    {
        [JsonPropertyName("id")] public int Id { get; set; }
        [JsonPropertyName("randomNumber")] public int RandomNumber { get; set; }
    }

    sealed class Message
    {
        [JsonPropertyName("message")] public string Text { get; set; } = "";
    }

    /// <summary>The standard API's paths.</summary>
    sealed class Routes(WorldStore? store, ILogger logger)
    {
        const string TextType = "text/plain; charset=utf-8";
        const string JsonType = "application/json; charset=utf-8";
        static readonly byte[] HelloWorld = Encoding.UTF8.GetBytes("Hello, World!");
        static readonly byte[] Ok = Encoding.UTF8.GetBytes("ok");
        static readonly byte[] NotFound = Encoding.UTF8.GetBytes("404 Not Found");
        static readonly byte[] NoDatabase =
            Encoding.UTF8.GetBytes("503 Service Unavailable: no database (DATABASE_URL is not set)");
        static readonly byte[] Failed = Encoding.UTF8.GetBytes("500 Internal Server Error");
        /// <summary>
        /// The body of /bytes/N, cut from one buffer made at start: the route measures the server and its proxies
        /// (Istio's method asks for 1 KiB responses), not filling memory.
        /// </summary>
        const int MaxSizedBody = 1 << 20;
        static readonly byte[] Filled = Enumerable.Repeat((byte)'x', MaxSizedBody).ToArray();

        /// <summary>N from /bytes/N: decimal digits only, 0 to 1 MiB; anything else is not the route (a 404).</summary>
        static int? SizedCount(string? path)
        {
            if (path is null || !path.StartsWith("/bytes/", StringComparison.Ordinal)) return null;
            var text = path["/bytes/".Length..];
            if (text.Length is 0 or > 7 || !text.All(char.IsAsciiDigit)) return null;
            var count = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            return count <= MaxSizedBody ? count : null;
        }

        public async Task Handle(HttpContext context)
        {
            var request = context.Request;
            var response = context.Response;
            if (!HttpMethods.IsGet(request.Method))
            {
                await Write(response, 404, TextType, NotFound);
                return;
            }
            if (SizedCount(request.Path.Value) is int sized)
            {
                response.StatusCode = 200;
                response.Headers.Server = "stacklab-dotnet";
                response.ContentType = TextType;
                response.ContentLength = sized;
                await response.Body.WriteAsync(Filled.AsMemory(0, sized));
                return;
            }
            switch (request.Path.Value)
            {
                case "/plaintext": await Write(response, 200, TextType, HelloWorld); break;
                // A fresh object encoded on every request, as TechEmpower's rules ask.
                case "/json":
                    await Write(response, 200, JsonType, JsonSerializer.SerializeToUtf8Bytes(new Message { Text = "Hello, World!" }));
                    break;
                case "/health": await Write(response, 200, TextType, Ok); break;
                case "/db": await Database(response, request.Path, s => s.RandomWorld()); break;
                case "/queries": await Database(response, request.Path, s => s.RandomWorlds(QueryCount(request))); break;
                case "/updates": await Database(response, request.Path, s => s.UpdateWorlds(QueryCount(request))); break;
                default: await Write(response, 404, TextType, NotFound); break;
            }
        }

        async Task Database<T>(HttpResponse response, PathString path, Func<WorldStore, Task<T>> work)
        {
            if (store is null)
            {
                await Write(response, 503, TextType, NoDatabase);
                return;
            }
            T value;
            try
            {
                value = await work(store);
            }
            catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogError("request failed: path={Path} error={Error}", path, error.Message);
                await Write(response, 500, TextType, Failed);
                return;
            }
            await Write(response, 200, JsonType, JsonSerializer.SerializeToUtf8Bytes(value));
        }

        /// <summary>Status, Server, Content-Type and Content-Length (never chunked); Kestrel adds Date.</summary>
        static Task Write(HttpResponse response, int status, string type, byte[] body)
        {
            response.StatusCode = status;
            response.Headers.Server = "stacklab-dotnet";
            response.ContentType = type;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body).AsTask();
        }

        /// <summary>
        /// The first queries parameter, clamped to 1...500: missing, empty, non-numeric or below 1 means 1;
        /// any number above 500, however many digits, means 500.
        /// </summary>
        public static int QueryCount(HttpRequest request)
        {
            var values = request.Query["queries"];
            var text = values.Count > 0 ? values[0] ?? "" : "";
            var digits = text.StartsWith('-') ? text[1..] : text;
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return 1;
            if (text.StartsWith('-')) return 1;
            var significant = digits.TrimStart('0');
            if (significant.Length == 0) return 1;
            if (significant.Length > 3) return 500;
            return Math.Min(int.Parse(significant), 500);
        }
    }

    /// <summary>The World table behind an Npgsql data source (a connection pool).</summary>
    sealed class WorldStore(NpgsqlDataSource source, string where) : IAsyncDisposable
    {
        const int Rows = 10000;
        const string Select = "SELECT id, randomNumber FROM World WHERE id = $1";
        const string Update = """
            UPDATE World SET randomNumber = fresh.randomNumber
            FROM unnest($1::integer[], $2::integer[]) AS fresh(id, randomNumber)
            WHERE World.id = fresh.id
            """;

        public string Describe() => where;

        /// <summary>
        /// Connects (retrying for 30 s), creates World when it is missing and inserts whichever of its 10,000
        /// ids are absent.
        /// </summary>
        public static async Task<WorldStore> Open(string url, int poolSize)
        {
            var uri = new Uri(url);
            if (uri.Scheme is not ("postgres" or "postgresql"))
                throw new ArgumentException($"DATABASE_URL must be postgres://…, got scheme '{uri.Scheme}'");
            var user = uri.UserInfo.Split(':', 2);
            var connection = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.Port > 0 ? uri.Port : 5432,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : "postgres",
                Username = user.Length > 0 && user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "postgres",
                Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
                MaxPoolSize = poolSize,
                NoResetOnClose = true,
                // Npgsql prepares and caches each statement per connection after its first use.
                MaxAutoPrepare = 8,
                AutoPrepareMinUsages = 1,
            };
            var source = NpgsqlDataSource.Create(connection.ConnectionString);
            var store = new WorldStore(source, $"postgres {uri.Host}:{connection.Port}/{connection.Database}");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    await store.Prepare();
                    return store;
                }
                catch (NpgsqlException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(500);
                }
            }
        }

        async Task Prepare()
        {
            await using var connection = await source.OpenConnectionAsync();
            await using (var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)",
                connection))
            {
                await create.ExecuteNonQueryAsync();
            }
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM World WHERE id BETWEEN 1 AND {Rows}", connection);
            if ((long)(await count.ExecuteScalarAsync())! >= Rows) return;
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO World (id, randomNumber)
                SELECT x, least(floor(random() * {Rows} + 1), {Rows})::integer FROM generate_series(1, {Rows}) AS x
                ON CONFLICT (id) DO NOTHING
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        static int RandomId() => Random.Shared.Next(1, Rows + 1);

        static async Task<World> Fetch(NpgsqlConnection connection, int id)
        {
            await using var command = new NpgsqlCommand(Select, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) throw new InvalidOperationException($"World has no row {id}");
            return new World { Id = reader.GetInt32(0), RandomNumber = reader.GetInt32(1) };
        }

        public async Task<World> RandomWorld()
        {
            await using var connection = await source.OpenConnectionAsync();
            return await Fetch(connection, RandomId());
        }

        /// <summary>Reads count random rows, one SELECT each, on one leased connection.</summary>
        public async Task<World[]> RandomWorlds(int count)
        {
            await using var connection = await source.OpenConnectionAsync();
            var worlds = new World[count];
            for (var index = 0; index < count; index++) worlds[index] = await Fetch(connection, RandomId());
            return worlds;
        }

        /// <summary>
        /// Reads count distinct random rows one by one, gives each a new random number (never its old one),
        /// and writes them all with one UPDATE, ids ascending so that concurrent updates lock rows in the same
        /// order.
        /// </summary>
        public async Task<World[]> UpdateWorlds(int count)
        {
            await using var connection = await source.OpenConnectionAsync();
            var picked = new HashSet<int>(count);
            var worlds = new World[count];
            for (var index = 0; index < count;)
            {
                var id = RandomId();
                if (!picked.Add(id)) continue;
                var world = await Fetch(connection, id);
                var old = world.RandomNumber;
                while (world.RandomNumber == old) world.RandomNumber = RandomId();
                worlds[index++] = world;
            }
            var ordered = worlds.OrderBy(world => world.Id).ToArray();
            await using var update = new NpgsqlCommand(Update, connection);
            update.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = ordered.Select(world => world.Id).ToArray() });
            update.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = ordered.Select(world => world.RandomNumber).ToArray() });
            await update.ExecuteNonQueryAsync();
            return worlds;
        }

        public ValueTask DisposeAsync() => source.DisposeAsync();
    }
}
