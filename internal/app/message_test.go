package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

func TestUserMessage(t *testing.T) {
	t.Parallel()

	wrap := func(err error) error { return fmt.Errorf("cli: get: %w", err) }
	_, templateErr := csv.ParseTemplate("PQ")
	resp := func(status int, msgs ...string) error {
		return &procore.ErrorResponse{StatusCode: status, Method: http.MethodPost,
			URL: "https://api.example/rest/v1.0/folders", Messages: msgs}
	}

	cases := []struct {
		name string
		err  error
		want []string // all must appear
	}{
		{"nil", nil, nil},
		{"cancelled", wrap(context.Canceled), []string{"cancelled"}},
		{"deadline", wrap(context.DeadlineExceeded), []string{"took too long"}},
		{"login", wrap(auth.ErrLoginRequired), []string{"not logged in", "login has ended", "Log in"}},
		{"template", wrap(templateErr), []string{`The column order "PQ" is not valid: ` +
			`unknown column 'Q'`, "such as PNEZD"}},
		{"401", wrap(resp(401)), []string{"not logged in"}},
		{"not configured", ErrNotConfigured, []string{"procore.client_id"}},
		{"parse line", wrap(&survey.ParseError{File: "pts.csv", Line: 7, Msg: "easting is not a number"}),
			[]string{"pts.csv cannot be read (line 7): easting is not a number.", "Nothing was imported"}},
		{"parse element", &survey.ParseError{File: "a.xml", Element: "CgPoint", Msg: "no coordinates"},
			[]string{"a.xml cannot be read (CgPoint): no coordinates."}},
		{"rate limit", wrap(&procore.RateLimitError{ErrorResponse: procore.ErrorResponse{StatusCode: 429},
			RetryAfter: 30 * time.Second}), []string{"limiting", "30s"}},
		{"name taken", wrap(resp(422, "Name has already been taken")), []string{"already exists"}},
		{"checked out", wrap(&procore.ErrorResponse{StatusCode: 409, Method: http.MethodPatch,
			URL: "https://api.example/rest/v1.0/files/3"}), []string{"checked out"}},
		{"not found", wrap(resp(404)), []string{"did not find", "then try again."}}, // CLI too: no "refresh"
		{"forbidden", wrap(resp(403)), []string{"not allowed"}},
		{"nothing to export", wrap(&project.NothingToExportError{Format: "csv", Surfaces: 1}),
			[]string{"nothing to export", "surface"}},
		{"server", wrap(resp(503)), []string{"Procore had a problem"}},
		{"folder exists", wrap(&transfer.FolderExistsError{Name: "Topo", FolderID: 4}),
			[]string{"Topo", "already exists", "cannot merge"}},
		{"empty file", wrap(transfer.ErrEmptyFile), []string{"empty"}},
		{"token rejected", wrap(&auth.TokenError{Op: "refresh", StatusCode: 400, Code: "invalid_grant"}),
			[]string{"did not accept the login"}},
		{"bad client", wrap(&auth.TokenError{Op: "exchange code", StatusCode: 401, Code: "invalid_client"}),
			[]string{"client ID or secret"}},
		{"denied", wrap(&auth.AuthorizeError{Code: "access_denied"}), []string{"declined"}},
		{"dns", wrap(&url.Error{Op: "Get", URL: "https://api.nowhere.example/x",
			Err: &net.DNSError{Name: "api.nowhere.example", Err: "no such host"}}),
			[]string{"api.nowhere.example", "could not find"}},
		{"refused", wrap(&url.Error{Op: "Get", URL: "http://127.0.0.1:1/x",
			Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}),
			[]string{"Nothing answered at 127.0.0.1:1"}},
		{"refused, no url", fmt.Errorf("procore: GET http://127.0.0.1:2/x: %w",
			&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2},
				Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}),
			[]string{"Nothing answered at 127.0.0.1:2."}},
		{"port taken", wrap(&net.OpError{Op: "listen", Net: "tcp",
			Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8719},
			Err:  os.NewSyscallError("bind", syscall.EADDRINUSE)}),
			[]string{"127.0.0.1:8719", "procore.redirect_port"}},
		{"port taken, windows", fmt.Errorf("%w: %w", auth.ErrPortInUse, &net.OpError{Op: "listen",
			Net: "tcp6", Addr: &net.TCPAddr{IP: net.IPv6loopback, Port: 8719},
			Err: os.NewSyscallError("bind", syscall.Errno(10048))}),
			[]string{"[::1]:8719", "procore.redirect_port"}},
		{"missing file", wrap(&os.PathError{Op: "open", Path: "/tmp/x.csv", Err: os.ErrNotExist}),
			[]string{"/tmp/x.csv does not exist"}},
		{"folder for a file", wrap(&os.PathError{Op: "read", Path: "/tmp/exp", Err: syscall.EISDIR}),
			[]string{"/tmp/exp is a folder"}},
		{"file for a folder", fmt.Errorf("transfer: download: %w",
			&os.PathError{Op: "mkdir", Path: "/tmp/a.csv", Err: syscall.ENOTDIR}),
			[]string{"/tmp/a.csv", "is a file, not a folder"}},
		{"read-only", wrap(&os.PathError{Op: "open", Path: "/media/cd/x", Err: syscall.EROFS}),
			[]string{"/media/cd/x", "read-only"}},
		{"nothing", fmt.Errorf("%w: 0 points, 0 lines", project.ErrNothingToImport),
			[]string{"Nothing was imported", "0 points"}},
		{"not a project", wrap(project.ErrNotProject), []string{"not a Backsight project"}},
		{"other", errors.New("disk on fire"), []string{"Something went wrong: disk on fire.", "log file"}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			got := UserMessage(tc.err)
			if tc.err == nil {
				if got != "" {
					t.Fatalf("UserMessage(nil) = %q", got)
				}
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("UserMessage = %q, want it to contain %q", got, w)
				}
			}
			if !strings.HasSuffix(got, ".") {
				t.Errorf("UserMessage = %q: not a sentence", got)
			}
		})
	}
}

func TestUserMessageHidesSecrets(t *testing.T) {
	t.Parallel()

	err := &url.Error{Op: "Get", URL: "https://storage.example/f?X-Amz-Signature=s3cr3t",
		Err: errors.New("connection reset")}
	if got := UserMessage(err); strings.Contains(got, "s3cr3t") {
		t.Errorf("UserMessage leaks the signed query: %q", got)
	}
}

// TestUserMessageProjectBusy: a project database locked by another process
// (SQLITE_BUSY) gets a sentence, not "database is locked (5)".
func TestUserMessageProjectBusy(t *testing.T) {
	t.Parallel()

	dsn := "file:" + filepath.Join(t.TempDir(), "p.db")
	holder, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}

	other, err := sql.Open("sqlite", dsn+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.Exec(`INSERT INTO t VALUES (2)`)
	if err == nil {
		t.Fatal("want the second writer to be refused")
	}

	got := UserMessage(fmt.Errorf("project: import: %w", err))
	if !strings.Contains(got, "The project is in use") || strings.Contains(got, "SQLITE") {
		t.Errorf("UserMessage(%v) = %q", err, got)
	}
}

// TestUserMessageGSIZeroPlaceholders: a GSI file whose coordinate records
// are all zero placeholders, with observations the reduction did not
// reduce, gets a sentence naming the polar reduction that reads it. The
// reader's error wraps gsi.ErrNoRecords; no rule tests that sentinel (nor
// gsi.ErrObservationsOnly), so the sentence comes from the ParseError's
// message.
func TestUserMessageGSIZeroPlaceholders(t *testing.T) {
	t.Parallel()

	const zeros = " 81..00+00000000 82..00+00000000 83..00+00000000\n"
	setup := "110001+0000STN1 84..00+00001000 85..00+00002000\n"
	shot := "110009+00000201 21.322+00000000 22.322+10000000 31..00+00010000" + zeros
	tests := []struct {
		in   string
		mode gsi.PolarMode
		want string
	}{
		{setup + "110008+00000200" + zeros + shot, gsi.PolarOff, "z.gsi cannot be read: all 2 " +
			"coordinate records hold zero placeholders; the file holds 1 observation (angles " +
			"and distances): to reduce them to points, set Polar observations to \"Reduce " +
			"to points when the file has no coordinates\" (--gsi-polar auto). Nothing was " +
			"imported"},
		// A coordinate record without an id stops auto's reduction.
		{"81..00+00005000 82..00+00006000\n" + setup + shot, gsi.PolarAuto, "z.gsi cannot be " +
			"read: the only coordinate record holds zero placeholders; the file holds 1 " +
			"observation (angles and distances): to reduce them to points, set Polar " +
			"observations to \"Always reduce to points\" (--gsi-polar on). Nothing was " +
			"imported"},
	}

	for _, tt := range tests {
		_, err := gsi.Read(t.Context(), strings.NewReader(tt.in), "z.gsi", gsi.ReadSettings{Polar: tt.mode})
		got := UserMessage(fmt.Errorf("project: import: %w", err))
		if !errors.Is(err, gsi.ErrNoRecords) || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%v: err %v\ngot  %q\nwant %q...", tt.mode, err, got, tt.want)
		}
	}
}
