package cli_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/sandbox"
)

var (
	company = strconv.FormatInt(sandbox.DemoCompanyID, 10)
	project = strconv.FormatInt(sandbox.DemoProjectID, 10)
)

func TestVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	r := e.must(0, "version")
	if !strings.Contains(r.stdout, "backsight ") || !strings.Contains(r.stdout, "go go1.") {
		t.Errorf("version output:\n%s", r)
	}

	var info struct{ Version, Go, Fyne string }
	decode(t, e.must(0, "version", "--json"), &info)
	if info.Version == "" || !strings.HasPrefix(info.Go, "go1.") || info.Fyne == "" {
		t.Errorf("version --json: %+v", info)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	cases := [][]string{
		{"bogus"},
		{"version", "--nope"},
		{"version", "extra"},
		{"procore"},
		{"procore", "bogus"},
		{"procore", "get"},
		{"procore", "put", "only-one"},
		{"procore", "projects", "--company", "not-a-number"},
		{"procore", "ls", "--company", company}, // no project anywhere
		{"procore", "ls", "--project", project, "a", "b"},
	}
	for _, args := range cases {
		r := e.run(args...)
		if r.code != 2 {
			t.Errorf("backsight %s: want exit 2, got %s", strings.Join(args, " "), r)
			continue
		}
		if r.stdout != "" || !strings.Contains(r.stderr, "backsight") {
			t.Errorf("backsight %s: want a message on stderr only, got %s",
				strings.Join(args, " "), r)
		}
	}
}

// TestArgumentCount: a missing argument is named, and so is an extra one
// (the message must not say "needs PROCORE_PATH" when it was given).
func TestArgumentCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"procore", "get"}, "needs PROCORE_PATH"},
		{[]string{"procore", "get", "01 Survey/a.csv", "."}, `takes only PROCORE_PATH, not also "."`},
		{[]string{"procore", "put", "a.xml"}, "needs LOCAL_PATH and PROCORE_FOLDER"},
		{[]string{"procore", "put", "a.xml", "/", "x"}, `not also "x"`},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("backsight %s: want exit 2 and %q, got %s", strings.Join(tt.args, " "),
				tt.want, r)
		}
	}
}

// TestUsageNamesCommandOnce: the "backsight: " prefix of a usage message
// is not followed by the program name again ("backsight: backsight export
// needs OUTFILE").
func TestUsageNamesCommandOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--project", e.home, "--format", "csv"}, "backsight: export needs OUTFILE"},
		{[]string{"project", "new"}, "backsight: project new needs the project folder DIR"},
		{[]string{"procore", "get", "a.csv", "."}, `backsight: procore get takes only PROCORE_PATH, not also "."`},
		{[]string{"procore"}, "backsight: procore needs a command"},
		{[]string{"version", "extra"}, "backsight: version takes no arguments"},
		{[]string{"procore", "ls", "--company", company}, "backsight: procore ls needs --project ID"},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) ||
			strings.Contains(r.stderr, "backsight: backsight") {
			t.Errorf("backsight %s: want exit 2 and %q, got %s", strings.Join(tt.args, " "),
				tt.want, r)
		}
	}
}

// TestEmptyArgument: an empty argument (an unset variable in a script) is
// wrong usage, named, and does nothing: "get ”" must not download the
// whole project, "put FILE ”" must not upload into the root, and a
// local path must not turn into a sentence that starts with a space.
func TestEmptyArgument(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()

	dir := filepath.Join(e.home, "job")
	e.must(0, "project", "new", dir)
	file := filepath.Join(e.home, "a.csv")
	if err := os.WriteFile(file, []byte("1,100,200,10,CP\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ids := []string{"--company", company, "--project", project}
	to := filepath.Join(e.home, "to")

	tests := []struct {
		args []string
		want string
	}{
		{append([]string{"procore", "get", "--to", to, ""}, ids...),
			`procore get needs a non-empty PROCORE_PATH ("/" is the project's root)`},
		{append([]string{"procore", "put", file, " "}, ids...),
			`procore put needs a non-empty PROCORE_FOLDER ("/" is the project's root)`},
		{append([]string{"procore", "put", "", "/"}, ids...),
			"procore put needs a non-empty LOCAL_PATH"},
		{[]string{"export", "--project", dir, "--format", "csv", ""},
			"export needs a non-empty OUTFILE"},
		{[]string{"project", "new", ""}, "project new needs a non-empty project folder DIR"},
		{[]string{"project", "info", ""}, "project info needs a non-empty project folder DIR"},
		{[]string{"import", "--project", dir, file, ""}, "import needs a non-empty FILE"},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("backsight %q: want exit 2 and %q, got %s", tt.args, tt.want, r)
		}
	}

	if _, err := os.Stat(to); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("get with an empty path made %s (err %v)", to, err)
	}
	r := e.must(0, append([]string{"procore", "ls", "/"}, ids...)...)
	if strings.Contains(r.stdout, "a.csv") {
		t.Errorf("put with an empty folder uploaded into the root:\n%s", r.stdout)
	}
}

func TestNotLoggedIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	for _, args := range [][]string{
		{"procore", "whoami"},
		{"procore", "companies", "--json"},
		{"procore", "ls", "--company", company, "--project", project},
	} {
		r := e.must(4, args...)
		if !strings.Contains(r.stderr, "not logged in to Procore, or your login has ended") || r.stdout != "" {
			t.Errorf("backsight %s: %s", strings.Join(args, " "), r)
		}
	}
}

func TestRejectedRefreshToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.storeToken(sandbox.DemoSurveyor, "stale-access", "unknown-refresh",
		time.Now().Add(-time.Minute))

	r := e.must(4, "procore", "companies")
	if !strings.Contains(r.stderr, "not logged in to Procore, or your login has ended") {
		t.Errorf("rejected refresh token: %s", r)
	}
	if strings.Contains(r.stderr, "unknown-refresh") || strings.Contains(r.stderr, "stale-access") {
		t.Errorf("a token was printed: %s", r)
	}
}

func TestNoClientID(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("BACKSIGHT_PROCORE_CLIENT_ID=")

	r := e.must(1, "procore", "login", "--no-browser")
	if !strings.Contains(r.stderr, "procore.client_id") {
		t.Errorf("want the missing key named: %s", r)
	}
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	cfg := filepath.Join(e.home, "bad.yaml")
	if err := os.WriteFile(cfg, []byte("procore:\n  colour: blue\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	r := e.must(1, "procore", "whoami", "--config", cfg)
	if !strings.Contains(r.stderr, "colour") {
		t.Errorf("want the unknown key named: %s", r)
	}
}

func TestLoginOutOfBand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	it := e.start("procore", "login", "--no-browser", "--json")
	authURL := it.waitURL(t)

	b := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword)
	code, err := b.OOBCode(t.Context(), authURL)
	if err != nil {
		t.Fatalf("scripted browser: %v", err)
	}
	if _, err := it.stdin.Write([]byte(code + "\n")); err != nil {
		t.Fatal(err)
	}
	if status := it.wait(t); status != 0 {
		t.Fatalf("login: exit %d\n%s", status, it.errText())
	}
	if strings.Contains(it.errText(), code) || strings.Contains(it.stdout.String(), code) {
		t.Error("the code was printed")
	}

	var who struct{ Login, Environment string }
	dbg := e.must(0, "procore", "whoami", "--json", "--debug")
	decode(t, dbg, &who)
	if strings.Contains(dbg.stderr, sandbox.DemoClientSecret) || strings.Contains(dbg.stderr, code) {
		t.Error("--debug output holds a secret")
	}
	if who.Login != sandbox.DemoSurveyor || who.Environment != "custom" {
		t.Errorf("whoami after login: %+v", who)
	}
	e.checkNoSecrets(code, sandbox.DemoClientSecret)

	r := e.must(0, "procore", "logout")
	if !strings.Contains(r.stderr, "logged out") {
		t.Errorf("logout: %s", r)
	}
	e.must(4, "procore", "whoami")
}

func TestLoginLoopback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	it := e.start("procore", "login")
	authURL := it.waitURL(t)

	b := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword)
	if _, err := b.Open(t.Context(), authURL); err != nil {
		t.Fatalf("scripted browser: %v", err)
	}
	if status := it.wait(t); status != 0 {
		t.Fatalf("login: exit %d\n%s", status, it.errText())
	}
	if !strings.Contains(it.errText(), "Logged in to Procore as ") {
		t.Errorf("login message:\n%s", it.errText())
	}

	e.must(0, "procore", "whoami")
}

func TestLoginWrongCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	r := e.runIn("", "not-a-code\n", "procore", "login", "--no-browser")
	if r.code != 1 || !strings.Contains(r.stderr, "http") {
		t.Errorf("want exit 1 after printing the URL: %s", r)
	}
}

func TestCompaniesAndProjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()

	var companies []struct {
		ID   int64
		Name string
	}
	decode(t, e.must(0, "procore", "companies", "--json"), &companies)
	if len(companies) != 1 || companies[0].ID != sandbox.DemoCompanyID {
		t.Errorf("companies: %+v", companies)
	}

	var projects []struct {
		ID   int64
		Name string
	}
	decode(t, e.must(0, "procore", "projects", "--company", company, "--json"), &projects)
	if len(projects) != 2 || (projects[0].ID != sandbox.DemoProjectID &&
		projects[1].ID != sandbox.DemoProjectID) {
		t.Errorf("projects: %+v", projects)
	}

	r := e.must(0, "procore", "projects", "--company", company)
	if !strings.Contains(r.stdout, "Riverside Subdivision Stage 2") {
		t.Errorf("projects table: %s", r)
	}

	// --company falls back to the configuration.
	e.with("BACKSIGHT_PROCORE_COMPANY_ID="+company).must(0, "procore", "projects")
}
