//! Flags and environment variables, the same set every StackLab reference app reads.

pub struct Config {
    pub host: String,
    pub port: u16,
    pub threads: usize,
    pub database_url: Option<String>,
}

const HELP: &str = "usage: stacklab-rust [--host HOST] [--port PORT] [--threads N] [--database-url URL]
  --host HOST          address to bind (HOST, default 127.0.0.1)
  --port PORT          TCP port, 0 for any free one (PORT, default 8080)
  --threads N          tokio worker threads (THREADS, default one per CPU the process may use)
  --database-url URL   postgres://user:pass@host:port/db (DATABASE_URL); without it /db, /queries
                       and /updates answer 503";

impl Config {
    /// Reads the arguments (after the program name) and the environment; `Ok(None)` after `--help`.
    pub fn parse(arguments: impl Iterator<Item = String>) -> Result<Option<Config>, String> {
        let env = |key: &str| std::env::var(key).ok().filter(|value| !value.is_empty());
        let mut host = env("HOST");
        let mut port = env("PORT");
        let mut threads = env("THREADS");
        let mut database_url = env("DATABASE_URL");
        let mut arguments = arguments.peekable();
        while let Some(argument) = arguments.next() {
            if argument == "--help" || argument == "-h" {
                println!("{HELP}");
                return Ok(None);
            }
            let (flag, inline) = match argument.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
                _ => (argument.clone(), None),
            };
            let slot = match flag.as_str() {
                "--host" => &mut host,
                "--port" => &mut port,
                "--threads" => &mut threads,
                "--database-url" => &mut database_url,
                _ => return Err(format!("unknown argument '{argument}' (see --help)")),
            };
            let value = match inline {
                Some(value) => value,
                None => arguments.next().ok_or_else(|| format!("{flag} needs a value"))?,
            };
            *slot = Some(value);
        }
        let port = match port {
            Some(text) => text.parse::<u16>().map_err(|_| format!("port '{text}' is not a number in 0...65535"))?,
            None => 8080,
        };
        let threads = match threads {
            Some(text) => match text.parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => return Err(format!("threads '{text}' is not a number of at least 1")),
            },
            // Follows the affinity mask and the cgroup CPU quota.
            None => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        };
        Ok(Some(Config { host: host.unwrap_or_else(|| "127.0.0.1".to_string()), port, threads, database_url }))
    }
}
