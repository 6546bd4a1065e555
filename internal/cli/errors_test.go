package cli_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailuresAreSentences runs commands that fail in ways a script meets
// (a bad flag value, a bad configuration value, a folder where a file is
// expected, a missing output folder...) and checks the exit status and that
// stderr holds a sentence naming the problem, not a Go error chain.
func TestFailuresAreSentences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}

	dir := t.TempDir()
	proj := filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)
	points := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(points, []byte("1,100.0,200.0,10.0,CP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	typo := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(typo, []byte("procore:\n  enviroment: custom\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notYAML := filepath.Join(dir, "notyaml.yaml")
	if err := os.WriteFile(notYAML, []byte("procore:\n  a: b\n c: d\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Never in a message: the words of a Go error chain, or a claim about a
	// log file that a configuration error leaves unopened.
	chain := []string{"strconv", "Something went wrong", "project:", "transfer:", "cli:",
		"config:", "csv: template", ".tmp", "EOF"}

	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"int flag", nil, []string{"procore", "projects", "--company", "abc"}, 2,
			`--company: "abc" is not a whole number`},
		{"secret flag", nil, []string{"procore", "login", "--client-secret", "s"}, 2,
			"no secret on the command line"},
		{"duplicates", nil, []string{"import", "--project", proj, "--duplicates", "bad", points}, 2,
			`--duplicates: "bad" is not skip, overwrite or rename`},
		{"template", nil, []string{"import", "--project", proj, "--template", "PXYZ", points}, 2,
			`--template: "PXYZ": unknown column 'Y'`},
		{"decimal comma", nil, []string{"import", "--project", proj, "--delimiter", ",",
			"--decimal", ",", points}, 2, "a decimal comma needs another --delimiter"},
		{"config value from a flag", nil, []string{"procore", "ls", "--company", "-5"}, 2,
			"--company: -5 is negative"},
		// newEnv sets BACKSIGHT_PROCORE_ENVIRONMENT; the flag beats it.
		{"config value from a flag beats the environment", nil,
			[]string{"procore", "whoami", "--env", "bogus"}, 2,
			`--env: "bogus" is not production, sandbox, monthly or custom`},
		// A key or syntax error in the file is fixed in the file, not in a variable.
		{"config file key", nil, []string{"--config", typo, "procore", "whoami"}, 1,
			`unknown key "procore.enviroment" in ` + typo + ". Fix it in the configuration " +
				"file (" + typo + "), then try again."},
		{"config file syntax", nil, []string{"--config", notYAML, "procore", "whoami"}, 1,
			"the file is not valid YAML (line 2: did not find expected key). Fix it in the " +
				"configuration file (" + notYAML + "), then try again."},
		{"config value", []string{"BACKSIGHT_PROCORE_PROJECT_ID=abc"},
			[]string{"procore", "ls", "--company", company}, 1,
			"procore.project_id must be a whole number"},
		{"config key", []string{"BACKSIGHT_PROCORE_COLOUR=red"}, []string{"procore", "whoami"}, 1,
			`unknown environment variable "BACKSIGHT_PROCORE_COLOUR". No setting has that ` +
				"name: correct the name"},
		{"config value from the environment", []string{"BACKSIGHT_LOG_LEVEL=loud"},
			[]string{"procore", "whoami"}, 1,
			`log.level: "loud" is not debug, info, warn or error. It comes from the ` +
				"environment variable BACKSIGHT_LOG_LEVEL: fix or unset it, then try again."},
		{"config type from the environment", []string{"BACKSIGHT_PROCORE_PROJECT_ID=abc"},
			[]string{"procore", "ls", "--company", company}, 1,
			"It comes from the environment variable BACKSIGHT_PROCORE_PROJECT_ID"},
		{"import a folder", nil, []string{"import", "--project", proj, dir}, 1,
			dir + " is a folder"},
		{"no project", nil, []string{"project", "info", missing}, 1,
			"The project folder " + missing + " does not exist"},
		{"export into a missing folder", nil,
			[]string{"export", "--project", proj, "--format", "csv", filepath.Join(missing, "x.csv")}, 1,
			"The folder " + missing + " does not exist"},
		{"export onto a folder", nil, []string{"export", "--project", proj, "--format", "landxml", dir}, 1,
			dir + " is a folder. Give the name of the file to write, for example " +
				filepath.Join(dir, "export.xml")},
		{"project in a file", nil, []string{"project", "new", points}, 1,
			"A file is in the way of the folder " + points},
		{"get into a file", nil, append([]string{"procore", "get", "01 Survey/Control/control_points.csv",
			"--to", points}, ids...), 1, "is a file, not a folder"},
		{"path through a file", nil, append([]string{"procore", "ls",
			"01 Survey/Control/control_points.csv/x"}, ids...), 1,
			"/01 Survey/Control/control_points.csv is a file, not a folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(tc.env...).run(tc.args...)
			if r.code != tc.code {
				t.Fatalf("want exit %d, got %s", tc.code, r)
			}
			// import prints its per-file summary on stdout even when a file fails.
			if !strings.Contains(r.stderr, tc.want) || (r.stdout != "" && tc.args[0] != "import") {
				t.Errorf("want %q on stderr and nothing on stdout, got %s", tc.want, r)
			}
			for _, c := range chain {
				if strings.Contains(r.stderr, c) {
					t.Errorf("stderr holds %q: %s", c, r)
				}
			}
		})
	}
}

// TestLoginNoCode: a login fed no code (stdin at its end, or an empty line)
// fails with a sentence, not with "EOF", and the prompt's line is ended.
func TestLoginNoCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	for _, stdin := range []string{"", "\n"} {
		r := e.runIn("", stdin, "procore", "login", "--no-browser")
		if r.code != 1 || !strings.Contains(r.stderr, "Code: \nNo code was pasted") ||
			strings.Contains(r.stderr, "EOF") {
			t.Errorf("stdin %q: want exit 1 and a sentence on its own line, got %s", stdin, r)
		}
	}
}

// TestGetMessage: the summary of get names the absolute folder and counts
// in proper English.
func TestGetMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()

	dir := t.TempDir()
	r := e.runIn(dir, "", "procore", "get", "--company", company, "--project", project,
		"01 Survey/Control/control_points.csv")
	if r.code != 0 || !strings.Contains(r.stderr, "Downloaded 1 file into "+dir+".\n") {
		t.Errorf("want the absolute folder and \"1 file\", got %s", r)
	}
}

// TestSandboxCommandErrors: a taken port, an unknown seed and an address
// without a port are told as such (they were told as a login redirect
// problem, a Go error chain and a failed connection to Procore).
func TestSandboxCommandErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sandbox", "--addr", ln.Addr().String()}, 1,
			"Another program already listens on " + ln.Addr().String()},
		{[]string{"sandbox", "--seed", "bogus"}, 2, `--seed: "bogus" is not "demo"`},
		{[]string{"sandbox", "--addr", "nonsense"}, 2, `--addr: "nonsense" is not HOST:PORT`},
	}
	for _, tc := range cases {
		r := e.run(tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("backsight %s: want exit %d and %q, got %s", strings.Join(tc.args, " "),
				tc.code, tc.want, r)
		}
	}
}
