// Command stacklab-go is StackLab's Go reference app: net/http and a pgx connection pool serving the
// standard app API (docs/app-api.md) on PostgreSQL.
//
// It reads its settings from flags or the environment (a flag beats its variable):
//
//	--host HOST          HOST          address to bind (127.0.0.1)
//	--port PORT          PORT          TCP port, 0 for any free one (8080)
//	--threads N          THREADS       GOMAXPROCS (default: one per CPU in the affinity mask)
//	--database-url URL   DATABASE_URL  postgres://user:pass@host:port/db; without it the
//	                                   database endpoints answer 503
//
// Once the World table is ready and the port is bound it prints one line on stdout,
// "stacklab-go listening on http://HOST:PORT (...)". SIGTERM or SIGINT stop it gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v4/pgxpool"
)

const name = "stacklab-go"

type config struct {
	host        string
	port        int
	threads     int
	databaseURL string
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetPrefix(name + ": ")
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func parseConfig(args []string) (config, error) {
	defaultPort, err := envInt("PORT", 8080)
	if err != nil {
		return config{}, err
	}
	defaultThreads, err := envInt("THREADS", 0)
	if err != nil {
		return config{}, err
	}
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	var cfg config
	flags.StringVar(&cfg.host, "host", envString("HOST", "127.0.0.1"), "address to bind")
	flags.IntVar(&cfg.port, "port", defaultPort, "TCP port; 0 for any free one")
	flags.IntVar(&cfg.threads, "threads", defaultThreads, "GOMAXPROCS; 0 for one per CPU the process may use")
	flags.StringVar(&cfg.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL URL")
	// One line on stderr for a bad argument; the options only when asked for with --help.
	flags.SetOutput(io.Discard)
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			flags.SetOutput(os.Stdout)
			flags.PrintDefaults()
			os.Exit(0)
		}
		return config{}, fmt.Errorf("%v (see --help)", err)
	}
	if flags.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if cfg.port < 0 || cfg.port > 65535 {
		return config{}, fmt.Errorf("port %d is out of range 0...65535", cfg.port)
	}
	if cfg.threads < 0 {
		return config{}, fmt.Errorf("threads must be at least 1, got %d", cfg.threads)
	}
	return cfg, nil
}

func envString(key, fallback string) string {
	if value, ok := os.LookupEnv(key); ok && value != "" {
		return value
	}
	return fallback
}

func envInt(key string, fallback int) (int, error) {
	value, ok := os.LookupEnv(key)
	if !ok || value == "" {
		return fallback, nil
	}
	number, err := strconv.Atoi(value)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a number", key, value)
	}
	return number, nil
}

func run(cfg config) error {
	// Go's default GOMAXPROCS already follows the affinity mask (and, since 1.25, the cgroup limit).
	if cfg.threads > 0 {
		runtime.GOMAXPROCS(cfg.threads)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	var store *worldStore
	dbText := "no database"
	if cfg.databaseURL != "" {
		var err error
		store, err = openWorldStore(ctx, cfg.databaseURL, max(8, 4*runtime.GOMAXPROCS(0)))
		if err != nil {
			return err
		}
		defer store.close()
		dbText = "postgres " + store.describe()
	}

	listener, err := net.Listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(cfg.port)))
	if err != nil {
		return err
	}
	server := &http.Server{
		Handler:           newHandler(store),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          log.Default(),
	}
	port := listener.Addr().(*net.TCPAddr).Port
	fmt.Printf("%s listening on http://%s (%s)\n", name, net.JoinHostPort(cfg.host, strconv.Itoa(port)), dbText)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let requests in flight finish (at most 10 s), then close the pool.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// openWorldStore connects, waiting at most 30 s for a server that is still starting, and seeds World.
func openWorldStore(ctx context.Context, url string, maxConns int) (*worldStore, error) {
	poolConfig, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %v", err)
	}
	poolConfig.MaxConns = int32(maxConns)
	where := fmt.Sprintf("%s:%d/%s", poolConfig.ConnConfig.Host, poolConfig.ConnConfig.Port, poolConfig.ConnConfig.Database)
	deadline := time.Now().Add(30 * time.Second)
	for {
		pool, err := pgxpool.ConnectConfig(ctx, poolConfig)
		if err == nil {
			err = pool.Ping(ctx)
			if err == nil {
				store := &worldStore{pool: pool, where: where}
				if err := store.prepare(ctx); err != nil {
					pool.Close()
					return nil, fmt.Errorf("preparing World in %s: %w", where, err)
				}
				return store, nil
			}
			pool.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("the postgres %s database did not get ready within 30 seconds; is it running? (%v)", where, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
