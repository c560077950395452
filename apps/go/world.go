package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/jackc/pgx/v4/pgxpool"
)

const (
	worldRows = 10000 // ids 1...10000, randomNumber 1...10000
	selectSQL = "SELECT id, randomNumber FROM World WHERE id = $1"
	updateSQL = `UPDATE World SET randomNumber = fresh.randomNumber
FROM unnest($1::integer[], $2::integer[]) AS fresh(id, randomNumber)
WHERE World.id = fresh.id`
)

// world is one row, encoded as {"id":N,"randomNumber":M}.
type world struct {
	ID           int32 `json:"id"`
	RandomNumber int32 `json:"randomNumber"`
}

// worldStore is the World table behind a pgx pool. pgx prepares and caches each statement per
// connection, so the SELECT is a prepared statement executed once per row.
type worldStore struct {
	pool  *pgxpool.Pool
	where string
}

func (s *worldStore) describe() string { return s.where }

func (s *worldStore) close() { s.pool.Close() }

// prepare creates World when it is missing and inserts whichever of its 10,000 ids are absent.
func (s *worldStore) prepare(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx,
		"CREATE TABLE IF NOT EXISTS World (id integer NOT NULL PRIMARY KEY, randomNumber integer NOT NULL DEFAULT 0)"); err != nil {
		return err
	}
	var present int
	if err := s.pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM World WHERE id BETWEEN 1 AND %d", worldRows)).Scan(&present); err != nil {
		return err
	}
	if present >= worldRows {
		return nil
	}
	_, err := s.pool.Exec(ctx, fmt.Sprintf(`INSERT INTO World (id, randomNumber)
SELECT x, least(floor(random() * %[1]d + 1), %[1]d)::integer FROM generate_series(1, %[1]d) AS x
ON CONFLICT (id) DO NOTHING`, worldRows))
	return err
}

func randomID() int32 { return rand.Int32N(worldRows) + 1 }

func fetch(ctx context.Context, conn *pgxpool.Conn, id int32) (world, error) {
	var w world
	err := conn.QueryRow(ctx, selectSQL, id).Scan(&w.ID, &w.RandomNumber)
	return w, err
}

func (s *worldStore) randomWorld(ctx context.Context) (world, error) {
	var w world
	err := s.pool.QueryRow(ctx, selectSQL, randomID()).Scan(&w.ID, &w.RandomNumber)
	return w, err
}

// randomWorlds reads count random rows, one SELECT each, on one leased connection.
func (s *worldStore) randomWorlds(ctx context.Context, count int) ([]world, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	worlds := make([]world, count)
	for i := range worlds {
		if worlds[i], err = fetch(ctx, conn, randomID()); err != nil {
			return nil, err
		}
	}
	return worlds, nil
}

// updateWorlds reads count distinct random rows one by one, gives each a new random number (never
// its old one), and writes them all with one UPDATE, ids ascending so that concurrent updates lock
// rows in the same order.
func (s *worldStore) updateWorlds(ctx context.Context, count int) ([]world, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	picked := make(map[int32]struct{}, count)
	worlds := make([]world, 0, count)
	for len(worlds) < count {
		id := randomID()
		if _, seen := picked[id]; seen {
			continue
		}
		picked[id] = struct{}{}
		w, err := fetch(ctx, conn, id)
		if err != nil {
			return nil, err
		}
		old := w.RandomNumber
		for w.RandomNumber == old {
			w.RandomNumber = randomID()
		}
		worlds = append(worlds, w)
	}
	ordered := slices.Clone(worlds)
	slices.SortFunc(ordered, func(a, b world) int { return int(a.ID - b.ID) })
	ids := make([]int32, count)
	numbers := make([]int32, count)
	for i, w := range ordered {
		ids[i], numbers[i] = w.ID, w.RandomNumber
	}
	if _, err := conn.Exec(ctx, updateSQL, ids, numbers); err != nil {
		return nil, err
	}
	return worlds, nil
}
