//! StackLab's Rust reference app: hyper 0.14 on a tokio runtime, tokio-postgres clients and serde_json,
//! serving the standard app API (docs/app-api.md) on PostgreSQL.
//!
//! Settings come from flags or the environment (a flag beats its variable): `--host`/`HOST`
//! (127.0.0.1), `--port`/`PORT` (8080, 0 for any free one), `--threads`/`THREADS` (tokio worker
//! threads; default one per CPU the process may use) and `--database-url`/`DATABASE_URL` (without it
//! the database endpoints answer 503). Once the World table is ready and the port is bound it prints
//! `stacklab-rust listening on http://HOST:PORT (...)` on stdout; SIGTERM or SIGINT stop it gracefully.

mod config;
mod query_count;
mod world;

use std::convert::Infallible;
use std::net::ToSocketAddrs;
use std::process::ExitCode;
use std::sync::Arc;

use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, SERVER};
use hyper::server::conn::AddrIncoming;
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Method, Request, Response, Server, StatusCode};
use serde::Serialize;

use crate::config::Config;
use crate::query_count::query_count;
use crate::world::WorldStore;

const NAME: &str = "stacklab-rust";
const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

#[derive(Serialize)]
struct Message {
    message: &'static str,
}

fn main() -> ExitCode {
    let config = match Config::parse(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{NAME}: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.threads)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{NAME}: {message}");
            ExitCode::from(1)
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let store = match &config.database_url {
        Some(url) => Some(Arc::new(WorldStore::open(url, (4 * config.threads).max(8)).await?)),
        None => None,
    };
    let database = match &store {
        Some(store) => format!("postgres {}", store.describe()),
        None => "no database".to_string(),
    };
    let address = (config.host.as_str(), config.port)
        .to_socket_addrs()
        .map_err(|error| format!("cannot resolve host {}: {error}", config.host))?
        .next()
        .ok_or_else(|| format!("host {} has no address", config.host))?;
    let mut incoming = AddrIncoming::bind(&address).map_err(|error| format!("cannot bind {address}: {error}"))?;
    incoming.set_nodelay(true);
    let port = incoming.local_addr().port();

    let make_service = make_service_fn(move |_| {
        let store = store.clone();
        async move {
            Ok::<_, Infallible>(service_fn(move |request| {
                let store = store.clone();
                async move { Ok::<_, Infallible>(handle(request, store.as_deref()).await) }
            }))
        }
    });
    let server = Server::builder(incoming).http1_only(true).serve(make_service);
    let host = if config.host.contains(':') { format!("[{}]", config.host) } else { config.host.clone() };
    println!("{NAME} listening on http://{host}:{port} ({database})");
    // Stop accepting on SIGTERM or SIGINT and let the requests in flight finish.
    server.with_graceful_shutdown(shutdown_signal()).await.map_err(|error| format!("server: {error}"))
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

async fn handle(request: Request<Body>, store: Option<&WorldStore>) -> Response<Body> {
    if request.method() != Method::GET {
        return text(StatusCode::NOT_FOUND, "404 Not Found");
    }
    let path = request.uri().path();
    if let Some(count) = sized_count(path) {
        return respond_static(StatusCode::OK, TEXT, &FILLED[..count]);
    }
    match path {
        "/plaintext" => text(StatusCode::OK, "Hello, World!"),
        // A fresh value serialised on every request, as TechEmpower's rules ask.
        "/json" => json(&Message { message: "Hello, World!" }),
        "/health" => text(StatusCode::OK, "ok"),
        "/db" | "/queries" | "/updates" => {
            let Some(store) = store else {
                return text(StatusCode::SERVICE_UNAVAILABLE, "503 Service Unavailable: no database (DATABASE_URL is not set)");
            };
            let count = query_count(request.uri().query());
            let result = match path {
                "/db" => store.random_world().await.map(|world| serde_json::to_vec(&world)),
                "/queries" => store.random_worlds(count).await.map(|worlds| serde_json::to_vec(&worlds)),
                _ => store.update_worlds(count).await.map(|worlds| serde_json::to_vec(&worlds)),
            };
            match result {
                Ok(Ok(body)) => respond(StatusCode::OK, JSON, body),
                Ok(Err(error)) => failed(path, &error.to_string()),
                Err(error) => failed(path, &error.to_string()),
            }
        }
        _ => text(StatusCode::NOT_FOUND, "404 Not Found"),
    }
}

fn failed(path: &str, error: &str) -> Response<Body> {
    eprintln!("{NAME}: request failed: path={path} error={error}");
    text(StatusCode::INTERNAL_SERVER_ERROR, "500 Internal Server Error")
}

fn text(status: StatusCode, body: &'static str) -> Response<Body> {
    respond(status, TEXT, body.as_bytes().to_vec())
}

fn json<T: Serialize>(value: &T) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(body) => respond(StatusCode::OK, JSON, body),
        Err(error) => failed("(json)", &error.to_string()),
    }
}

/// The largest N `/bytes/N` serves: 1 MiB.
const MAX_SIZED_BODY: usize = 1 << 20;

/// The body of `/bytes/N`, cut from one buffer in the binary: the route measures the server and its proxies
/// (Istio's method asks for 1 KiB responses), not filling memory.
static FILLED: [u8; MAX_SIZED_BODY] = [b'x'; MAX_SIZED_BODY];

/// N from `/bytes/N`: decimal digits only, 0 to 1 MiB; anything else is not the route (a 404).
fn sized_count(path: &str) -> Option<usize> {
    let text = path.strip_prefix("/bytes/")?;
    if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<usize>().ok().filter(|&count| count <= MAX_SIZED_BODY)
}

fn respond_static(status: StatusCode, content_type: &'static str, body: &'static [u8]) -> Response<Body> {
    let mut response = respond(status, content_type, Vec::new());
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    *response.body_mut() = Body::from(body);
    response
}

/// Every response carries Server, Content-Type and Content-Length; hyper adds Date (refreshed each second).
fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Body> {
    let length = body.len();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(SERVER, HeaderValue::from_static(NAME));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}
