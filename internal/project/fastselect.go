package project

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/backsight/backsight/internal/survey"
)

// parallelMin is the point count from which selectPoints reads two halves
// of the rowid range at once.
var parallelMin int64 = 200_000

// selectPoints loads the selected points in row order. It talks to the
// SQLite driver directly (no database/sql Scan per column), and reads two
// rowid ranges on two connections at once for large selections: exporting
// a million points is dominated by this read.
func (p *Project) selectPoints(ctx context.Context, sel Selection) ([]survey.Point, error) {
	w, args := sel.where(true)
	var lo, hi, n int64
	err := p.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*)
		FROM points WHERE `+w, args...).Scan(&lo, &hi, &n)
	if err != nil {
		return nil, fmt.Errorf("project: select points: %w", err)
	}

	if n == 0 {
		return nil, nil
	}

	if n < parallelMin {
		return p.pointRange(ctx, w, args, lo, hi, int(n))
	}

	mid := lo + (hi-lo)/2
	var a, b []survey.Point
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		a, err = p.pointRange(gctx, w, args, lo, mid, int(n/2))

		return err
	})
	g.Go(func() (err error) {
		b, err = p.pointRange(gctx, w, args, mid+1, hi, int(n/2))

		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}

	return append(a, b...), nil
}

// pointRange reads the selected points with lo <= rowid <= hi.
func (p *Project) pointRange(ctx context.Context, where string, args []any, lo, hi int64, hint int) ([]survey.Point, error) {
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("project: select points: %w", err)
	}
	defer conn.Close()

	query := `SELECT pid, code, e, n, z, attrs FROM points WHERE id BETWEEN ? AND ? AND ` + where + ` ORDER BY id`
	named := []driver.NamedValue{{Ordinal: 1, Value: lo}, {Ordinal: 2, Value: hi}}
	for i, a := range args {
		named = append(named, driver.NamedValue{Ordinal: i + 3, Value: a})
	}

	out := make([]survey.Point, 0, hint)
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("driver cannot query directly")
		}

		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()

		dest := make([]driver.Value, 6)
		for i := 0; ; i++ {
			if i%8192 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}

			if err := rows.Next(dest); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}

			pt, err := pointFromValues(dest)
			if err != nil {
				return err
			}

			out = append(out, pt)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("project: select points: %w", err)
	}

	return out, nil
}

// pointFromValues converts driver values (pid, code, e, n, z, attrs).
func pointFromValues(v []driver.Value) (survey.Point, error) {
	var pt survey.Point
	pt.ID = text(v[0])
	pt.Code = text(v[1])
	pt.E, pt.N = real(v[2]), real(v[3])
	if v[4] != nil {
		pt.Z, pt.HasZ = real(v[4]), true
	}

	if a := text(v[5]); a != "" {
		if err := json.Unmarshal([]byte(a), &pt.Attrs); err != nil {
			return pt, fmt.Errorf("point %q attributes: %w", pt.ID, err)
		}
	}

	return pt, nil
}

func text(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x // the driver hands over a fresh copy
	case []byte:
		return string(x)
	case int64:
		return fmt.Sprint(x)
	case float64:
		return fmt.Sprint(x)
	}

	return ""
}

func real(v driver.Value) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}

	return 0
}
