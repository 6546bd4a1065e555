package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/procore"
)

// loginTimeout bounds the wait for the browser's redirect.
const loginTimeout = 10 * time.Minute

func (r *runner) procoreCommand() *cobra.Command {
	cmd := group("procore", "Log in to Procore and move files to and from its Documents tool")

	pf := cmd.PersistentFlags()
	pf.String("env", "", "Procore environment: production, sandbox, monthly or custom")
	pf.String("login-url", "", "login base URL of the custom environment")
	pf.String("api-url", "", "API base URL of the custom environment")
	bindKey(pf, "env", "procore.environment")
	bindKey(pf, "login-url", "procore.login_url")
	bindKey(pf, "api-url", "procore.api_url")

	cmd.AddCommand(
		r.loginCommand(),
		r.logoutCommand(),
		r.whoamiCommand(),
		r.companiesCommand(),
		r.projectsCommand(),
		r.lsCommand(),
		r.treeCommand(),
		r.getCommand(),
		r.putCommand(),
	)

	return cmd
}

// session returns the App's session, or why there is none.
func (r *runner) session(cmd *cobra.Command) (*app.App, *auth.Session, error) {
	a, err := r.app(cmd)
	if err != nil {
		return nil, nil, err
	}

	s, err := a.Session()
	if err != nil {
		return nil, nil, err
	}

	return a, s, nil
}

// client returns a Procore client for a logged-in session, or
// auth.ErrLoginRequired without a request.
func (r *runner) client(cmd *cobra.Command) (*app.App, *procore.Client, error) {
	a, err := r.app(cmd)
	if err != nil {
		return nil, nil, err
	}
	if err := a.RequireLogin(); err != nil {
		return nil, nil, err
	}

	c, err := a.Client()
	if err != nil {
		return nil, nil, err
	}

	return a, c, nil
}

type identityJSON struct {
	ID          int64  `json:"id,omitempty"`
	Login       string `json:"login"`
	Name        string `json:"name,omitempty"`
	Environment string `json:"environment"`
	APIURL      string `json:"api_url"`
}

func (r *runner) loginCommand() *cobra.Command {
	var noBrowser bool

	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to Procore through the browser",
		Long: "Log in to Procore. Backsight prints the login address and opens it in the " +
			"browser ($BROWSER, else the desktop's opener), then waits for Procore to " +
			"send the browser back. With --no-browser, open the address on any computer, " +
			"log in, and paste the code Procore shows.\n\n" + exitHelp,
		Args: noArgs,
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			a, s, err := r.session(cmd)
			if err != nil {
				return err
			}

			if w := a.StoreWarning(); w != "" {
				r.infof("%s", w)
			}

			if noBrowser {
				err = r.loginOOB(cmd, s)
			} else {
				err = r.loginBrowser(cmd, s)
			}
			if err != nil {
				return err
			}

			id := s.WhoAmI()
			a.Logger().Info("logged in", zap.String("env", s.Env().Name))
			r.infof("Logged in to Procore as %s.", id.Display())

			return r.emit(identityJSON{
				ID: id.ID, Login: id.Login, Name: id.Name,
				Environment: s.Env().Name, APIURL: s.Env().APIURL,
			}, func(io.Writer) {})
		}),
	}
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false,
		"do not open a browser; read the code Procore shows from stdin")

	return cmd
}

func (r *runner) loginBrowser(cmd *cobra.Command, s *auth.Session) error {
	ctx, cancel := context.WithTimeout(cmd.Context(), loginTimeout)
	defer cancel()

	return s.Login(ctx, func(authURL string) {
		if !canOpenBrowser() {
			r.infof("No browser can be opened here (no display and no $BROWSER). Open this "+
				"address in a browser on this computer, or press Ctrl+C and run backsight "+
				"procore login --no-browser to paste the code Procore shows instead:\n\n"+
				"  %s\n\nWaiting for the login (Ctrl+C to cancel)...", authURL)
			return
		}
		r.infof("Opening Procore's login page in the browser. If it does not open, "+
			"open this address:\n\n  %s\n\nWaiting for the login (Ctrl+C to cancel)...", authURL)
	})
}

// canOpenBrowser reports whether a browser may open: $BROWSER is set, the
// system has its own opener (macOS, Windows), or a display runs. On a
// headless box (a cron job, ssh) xdg-open has nothing to open a page on, so
// the login would wait with no hint about --no-browser.
func canOpenBrowser() bool {
	if os.Getenv("BROWSER") != "" {
		return true
	}
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}

	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

func (r *runner) loginOOB(cmd *cobra.Command, s *auth.Session) error {
	oob := s.LoginOOB()
	r.infof("Open this address in a browser, log in, and paste the code Procore "+
		"shows:\n\n  %s\n", oob.URL)
	fmt.Fprint(r.io.Err, "Code: ")

	code, err := readLine(cmd.Context(), r.io.In)
	if !isTerminal(r.io.In) {
		// A terminal echoes the pasted code and its newline; a pipe does not.
		fmt.Fprintln(r.io.Err)
	}
	if errors.Is(err, io.EOF) || (err == nil && strings.TrimSpace(code) == "") {
		return &sentenceError{msg: "No code was pasted, so the login did not finish. Run " +
			"backsight procore login --no-browser again, log in at the address it prints, " +
			"and paste the code Procore shows (or pipe it into the command).", err: err}
	}
	if err != nil {
		return err
	}

	return oob.Exchange(cmd.Context(), code)
}

// readLine reads one line from in, giving up when ctx ends.
func readLine(ctx context.Context, in io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(in).ReadString('\n')
		if errors.Is(err, io.EOF) && line != "" {
			err = nil
		}
		done <- result{line, err}
	}()

	select {
	case res := <-done:
		if res.err != nil {
			return "", fmt.Errorf("cli: read code: %w", res.err)
		}
		return res.line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (r *runner) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Log out of Procore and forget the stored token",
		Args:  noArgs,
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			_, s, err := r.session(cmd)
			if err != nil {
				return err
			}

			res, err := s.Logout(cmd.Context())
			if err != nil {
				return err
			}
			r.infof("%s", res.Message())

			return r.emit(map[string]bool{
				"was_logged_in": res.WasLoggedIn,
				"revoked":       res.Revoked,
			}, func(io.Writer) {})
		}),
	}
}

func (r *runner) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show who is logged in to Procore",
		Long:  "Show who is logged in to Procore (asking Procore).\n\n" + exitHelp,
		Args:  noArgs,
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			a, c, err := r.client(cmd)
			if err != nil {
				return err
			}

			me, _, err := c.Me.Get(cmd.Context())
			if err != nil {
				return err
			}
			env := a.Env()

			return r.emit(identityJSON{
				ID: me.ID, Login: me.Login, Name: me.Name,
				Environment: env.Name, APIURL: env.APIURL,
			}, func(w io.Writer) {
				name := me.Login
				if me.Name != "" {
					name = me.Name + " <" + me.Login + ">"
				}
				fmt.Fprintf(w, "%s (user %d) on %s (%s)\n", name, me.ID, env.Name, env.APIURL)
			})
		}),
	}
}

func (r *runner) companiesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "companies",
		Short: "List the Procore companies you can see",
		Args:  noArgs,
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			_, c, err := r.client(cmd)
			if err != nil {
				return err
			}

			var list []procore.Company
			for co, err := range c.Companies.All(cmd.Context()) {
				if err != nil {
					return err
				}
				list = append(list, co)
			}

			return r.emit(nonNil(list), func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME")
				for _, co := range list {
					fmt.Fprintf(tw, "%d\t%s\n", co.ID, co.Name)
				}
				_ = tw.Flush()
			})
		}),
	}
}

func (r *runner) projectsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projects --company ID",
		Short: "List the projects of a Procore company",
		Args:  noArgs,
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			ids, err := r.ids(cmd, false)
			if err != nil {
				return err
			}

			_, c, err := r.client(cmd)
			if err != nil {
				return err
			}

			var list []procore.Project
			for p, err := range c.Projects.All(cmd.Context(), ids.company,
				procore.ProjectListOptions{}) {
				if err != nil {
					return err
				}
				list = append(list, p)
			}

			return r.emit(nonNil(list), func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME")
				for _, p := range list {
					fmt.Fprintf(tw, "%d\t%s\n", p.ID, p.Name)
				}
				_ = tw.Flush()
			})
		}),
	}
	r.companyFlag(cmd)

	return cmd
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}

	return s
}

// procoreIDs are the company and project a command works in.
type procoreIDs struct {
	company, project int64
}

func (r *runner) companyFlag(cmd *cobra.Command) {
	cmd.Flags().Int64("company", 0, "Procore company ID (default: procore.company_id)")
	bindKey(cmd.Flags(), "company", "procore.company_id")
}

func (r *runner) projectFlags(cmd *cobra.Command) {
	r.companyFlag(cmd)
	cmd.Flags().Int64("project", 0, "Procore project ID (default: procore.project_id)")
	bindKey(cmd.Flags(), "project", "procore.project_id")
}

// ids reads --company (and --project) through the configuration, so that
// they fall back to procore.company_id and procore.project_id.
func (r *runner) ids(cmd *cobra.Command, needProject bool) (procoreIDs, error) {
	cfg, err := r.config(cmd)
	if err != nil {
		return procoreIDs{}, err
	}

	ids := procoreIDs{company: cfg.Procore.CompanyID, project: cfg.Procore.ProjectID}
	if ids.company == 0 {
		return ids, usagef("%s needs --company ID (or procore.company_id in the "+
			"configuration); backsight procore companies lists them", cmd.CommandPath())
	}
	if needProject && ids.project == 0 {
		return ids, usagef("%s needs --project ID (or procore.project_id in the "+
			"configuration); backsight procore projects --company %d lists them",
			cmd.CommandPath(), ids.company)
	}

	return ids, nil
}
