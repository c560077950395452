//! The World table behind a small pool of tokio-postgres clients.
//!
//! Debian 12 ships no pool crate (deadpool, bb8), so the pool is a fixed set of clients picked round
//! robin. A tokio-postgres client pipelines the queries of concurrent requests on its connection, so
//! requests never wait for a client to be free; a client whose connection closed is replaced on its
//! next use. Each client prepares the SELECT and the bulk UPDATE once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use serde::Serialize;
use tokio_postgres::{Client, Config, Error, NoTls, Statement};

const ROWS: i32 = 10_000;
const SELECT: &str = "SELECT id, randomNumber FROM World WHERE id = $1";
const UPDATE: &str = "UPDATE World SET randomNumber = fresh.randomNumber \
    FROM unnest($1::integer[], $2::integer[]) AS fresh(id, randomNumber) WHERE World.id = fresh.id";

/// One row, encoded as `{"id":N,"randomNumber":M}`.
#[derive(Serialize, Clone, Copy)]
pub struct World {
    pub id: i32,
    #[serde(rename = "randomNumber")]
    pub random_number: i32,
}

struct Connection {
    client: Client,
    select: Statement,
    update: Statement,
}

pub struct WorldStore {
    config: Config,
    slots: Vec<Mutex<Arc<Connection>>>,
    next: AtomicUsize,
    place: String,
}

impl WorldStore {
    /// Connects `size` clients, waiting at most 30 s for a server that is still starting, and seeds World.
    pub async fn open(url: &str, size: usize) -> Result<WorldStore, String> {
        let config: Config = url.parse().map_err(|error| format!("DATABASE_URL: {error}"))?;
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
            Some(tokio_postgres::config::Host::Unix(path)) => path.display().to_string(),
            None => "localhost".to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let place = format!("{host}:{port}/{}", config.get_dbname().unwrap_or(""));
        let deadline = Instant::now() + Duration::from_secs(30);
        // World may not exist yet on a fresh database: the first client seeds it before any statement is prepared.
        let client = loop {
            match open_client(&config).await {
                Ok(client) => break client,
                Err(error) if Instant::now() >= deadline => {
                    return Err(format!(
                        "the postgres {place} database did not get ready within 30 seconds; is it running? ({error})"
                    ))
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        };
        seed(&client).await.map_err(|error| format!("preparing World in {place}: {error}"))?;
        let first = prepare(client).await.map_err(|error| format!("preparing World in {place}: {error}"))?;
        // The other clients connect in parallel, so start-up costs about one connection, not `size`.
        let pending: Vec<_> = (1..size)
            .map(|_| {
                let config = config.clone();
                tokio::spawn(async move { connect(&config).await })
            })
            .collect();
        let mut slots = vec![Mutex::new(Arc::new(first))];
        for task in pending {
            let connection = task
                .await
                .map_err(|error| format!("connecting to {place}: {error}"))?
                .map_err(|error| format!("connecting to {place}: {error}"))?;
            slots.push(Mutex::new(Arc::new(connection)));
        }
        Ok(WorldStore { config, slots, next: AtomicUsize::new(0), place })
    }

    pub fn describe(&self) -> &str {
        &self.place
    }

    async fn connection(&self) -> Result<Arc<Connection>, Error> {
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()];
        let current = slot.lock().unwrap().clone();
        if !current.client.is_closed() {
            return Ok(current);
        }
        let fresh = Arc::new(connect(&self.config).await?);
        *slot.lock().unwrap() = fresh.clone();
        Ok(fresh)
    }

    pub async fn random_world(&self) -> Result<World, Error> {
        let connection = self.connection().await?;
        fetch(&connection, random_id()).await
    }

    /// `count` random rows, one SELECT each.
    pub async fn random_worlds(&self, count: usize) -> Result<Vec<World>, Error> {
        let connection = self.connection().await?;
        let mut worlds = Vec::with_capacity(count);
        for _ in 0..count {
            worlds.push(fetch(&connection, random_id()).await?);
        }
        Ok(worlds)
    }

    /// `count` distinct random rows read one by one, each given a new random number (never its old
    /// one), then written with one UPDATE, ids ascending so that concurrent updates lock rows in the
    /// same order.
    pub async fn update_worlds(&self, count: usize) -> Result<Vec<World>, Error> {
        let connection = self.connection().await?;
        let mut picked = std::collections::HashSet::with_capacity(count);
        let mut worlds = Vec::with_capacity(count);
        while worlds.len() < count {
            let id = random_id();
            if !picked.insert(id) {
                continue;
            }
            let mut world = fetch(&connection, id).await?;
            let old = world.random_number;
            while world.random_number == old {
                world.random_number = random_id();
            }
            worlds.push(world);
        }
        let mut ordered = worlds.clone();
        ordered.sort_unstable_by_key(|world| world.id);
        let ids: Vec<i32> = ordered.iter().map(|world| world.id).collect();
        let numbers: Vec<i32> = ordered.iter().map(|world| world.random_number).collect();
        connection.client.execute(&connection.update, &[&ids, &numbers]).await?;
        Ok(worlds)
    }
}

fn random_id() -> i32 {
    rand::thread_rng().gen_range(1..=ROWS)
}

async fn fetch(connection: &Connection, id: i32) -> Result<World, Error> {
    let row = connection.client.query_one(&connection.select, &[&id]).await?;
    Ok(World { id: row.get(0), random_number: row.get(1) })
}

async fn connect(config: &Config) -> Result<Connection, Error> {
    prepare(open_client(config).await?).await
}

async fn open_client(config: &Config) -> Result<Client, Error> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            eprintln!("stacklab-rust: postgres connection closed: {error}");
        }
    });
    Ok(client)
}

/// The client with World's statements prepared; World must exist.
async fn prepare(client: Client) -> Result<Connection, Error> {
    let select = client.prepare(SELECT).await?;
    let update = client.prepare(UPDATE).await?;
    Ok(Connection { client, select, update })
}

/// Creates World when it is missing and inserts whichever of its 10,000 ids are absent.
async fn seed(client: &Client) -> Result<(), Error> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)",
        )
        .await?;
    let present: i64 =
        client.query_one(&format!("SELECT count(*) FROM World WHERE id BETWEEN 1 AND {ROWS}"), &[]).await?.get(0);
    if present < i64::from(ROWS) {
        client
            .batch_execute(&format!(
                "INSERT INTO World (id, randomNumber) \
                 SELECT x, least(floor(random() * {ROWS} + 1), {ROWS})::integer FROM generate_series(1, {ROWS}) AS x \
                 ON CONFLICT (id) DO NOTHING"
            ))
            .await?;
    }
    Ok(())
}
