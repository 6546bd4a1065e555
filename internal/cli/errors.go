package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/redact"
)

// flagError turns pflag's parse errors into short usage messages: a value
// of the wrong kind names the flag and the value (not strconv's words), and
// a flag that looks like a secret says why there is none.
func flagError(err error) error {
	var iv *pflag.InvalidValueError
	if errors.As(err, &iv) {
		what := "is not a valid value"
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			switch ne.Func {
			case "ParseInt", "ParseUint":
				what = "is not a whole number"
			case "ParseFloat":
				what = "is not a number"
			case "ParseBool":
				what = "is not true or false"
			}
		}

		return fmt.Errorf("--%s: %q %s", iv.GetFlag().Name, iv.GetValue(), what)
	}

	var nf *pflag.NotExistError
	if errors.As(err, &nf) && looksSecret(nf.GetSpecifiedName()) {
		return fmt.Errorf("--%s: Backsight takes no secret on the command line (it would "+
			"show in the shell history and the process list); set procore.client_secret "+
			"in the configuration file or BACKSIGHT_PROCORE_CLIENT_SECRET in the "+
			"environment, and log in with backsight procore login", nf.GetSpecifiedName())
	}

	return err
}

func looksSecret(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"secret", "token", "password", "passwd"} {
		if strings.Contains(name, w) {
			return true
		}
	}

	return false
}

// cannotParse matches mapstructure's words for a value of the wrong type.
var cannotParse = regexp.MustCompile(`'([A-Za-z0-9_.]+)' cannot parse value as '([a-z0-9]+)'`)

// configKey matches the key that a configuration error starts with
// ("log.level: ...", "procore.project_id must be a whole number").
var configKey = regexp.MustCompile(`^([a-z_]+\.[a-z_]+)[: ]`)

// configError turns an error of config.Load into a sentence that says what
// is wrong and where to fix it. flags are the flags that set keys: a bad
// value given with one of them is wrong usage that names the flag. A
// configuration file that does not exist is left to the file rules of
// app.UserMessage.
func configError(err error, file string, flags map[string]*pflag.Flag) error {
	var pe *os.PathError
	if errors.As(err, &pe) && errors.Is(err, os.ErrNotExist) {
		return err
	}

	detail := strings.Join(strings.Fields(redact.String(err.Error())), " ")
	detail = strings.TrimPrefix(detail, "config: ")
	if m := cannotParse.FindStringSubmatch(detail); m != nil {
		switch {
		case strings.HasPrefix(m[2], "int"), strings.HasPrefix(m[2], "uint"):
			detail = m[1] + " must be a whole number"
		case m[2] == "bool":
			detail = m[1] + " must be true or false"
		default:
			detail = m[1] + " has a value of the wrong kind"
		}
	}
	detail = strings.TrimSuffix(detail, ".")

	// A variable that names no setting is fixed where it is set.
	if errors.Is(err, config.ErrUnknownVariable) {
		return &sentenceError{msg: fmt.Sprintf("Backsight's configuration has a problem: %s. "+
			"No setting has that name: correct the name (BACKSIGHT_ and the setting's key "+
			"in capitals, dots as _, such as BACKSIGHT_PROCORE_CLIENT_ID) or unset the "+
			"variable, then try again.", detail), err: err}
	}

	// A bad value given with a flag is fixed on the command line, which
	// beats the environment and the file.
	if m := configKey.FindStringSubmatch(detail); m != nil {
		rest, isValue := strings.CutPrefix(detail, m[1]+": ")
		if f := flags[m[1]]; isValue && f != nil && f.Changed {
			return usagef("--%s: %s", f.Name, rest)
		}
	}

	// A bad value set by a variable is fixed there, not in a file that may
	// not even exist.
	if m := configKey.FindStringSubmatch(detail); m != nil {
		name := "BACKSIGHT_" + strings.ToUpper(strings.ReplaceAll(m[1], ".", "_"))
		if os.Getenv(name) != "" {
			return &sentenceError{msg: fmt.Sprintf("Backsight's configuration has a "+
				"problem: %s. It comes from the environment variable %s: fix or unset "+
				"it, then try again.", detail, name), err: err}
		}
	}

	where := "the configuration file"
	if file == "" {
		file = os.Getenv(config.EnvConfigFile)
	}
	if file == "" {
		file, _ = config.DefaultFile()
	}
	if file != "" {
		where += " (" + file + ")"
	}

	// A key the file names, or a file that is not YAML, is the file's alone.
	if strings.HasPrefix(detail, "unknown key ") || strings.HasPrefix(detail, "read ") {
		if i := strings.LastIndex(detail, "yaml: "); i >= 0 {
			detail = "the file is not valid YAML (" + detail[i+len("yaml: "):] + ")"
		}
		return &sentenceError{msg: fmt.Sprintf("Backsight's configuration has a problem: "+
			"%s. Fix it in %s, then try again.", detail, where), err: err}
	}

	return &sentenceError{msg: fmt.Sprintf("Backsight's configuration has a problem: %s. Fix it "+
		"in %s or in the BACKSIGHT_ environment variable that sets it, then try again.",
		detail, where), err: err}
}

// openProject opens the project in dir; when there is none, the sentence
// names the folder (a script's log then says which one).
func openProject(ctx context.Context, dir string) (*project.Project, error) {
	p, err := project.Open(ctx, dir)
	if err == nil || !errors.Is(err, project.ErrNotProject) {
		return p, err
	}

	st, serr := os.Stat(dir)
	switch {
	case serr != nil:
		return nil, &sentenceError{msg: fmt.Sprintf("The project folder %s does not exist. "+
			"Check the name, or create a project there with backsight project new.", dir),
			err: err}
	case !st.IsDir():
		return nil, &sentenceError{msg: fmt.Sprintf("%s is a file, not a project folder. "+
			"Give the folder of a Backsight project.", dir), err: err}
	}

	return nil, &sentenceError{msg: fmt.Sprintf("%s is not a Backsight project. Create one "+
		"there first (backsight project new), or give the folder of a project.", dir), err: err}
}

// checkOutFile tells before an export whether path can be written: its
// folder must exist and path must not be a folder.
func checkOutFile(path, format string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return &sentenceError{msg: fmt.Sprintf("%s is a folder. Give the name of the file "+
			"to write, for example %s.", path,
			filepath.Join(path, "export"+formats.DefaultExt(format)))}
	}

	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return &sentenceError{msg: fmt.Sprintf("The folder %s does not exist. Create it "+
			"first, or choose another place for %s.", dir, filepath.Base(path)), err: err}
	case !st.IsDir():
		return &sentenceError{msg: fmt.Sprintf("%s is a file, not a folder, so %s cannot "+
			"be written there. Choose another place.", dir, filepath.Base(path))}
	}

	return nil
}
