package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/redact"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// UserMessage returns the sentence shown to the user for err: what happened
// and what to do. The command line prints it and the window shows it in its
// error dialog, with err's own text as the details. It never contains a
// secret. A nil error gives "".
func UserMessage(err error) string {
	if err == nil {
		return ""
	}

	for _, m := range messageRules {
		if s, ok := m(err); ok {
			return s
		}
	}

	return "Something went wrong: " + sentence(err) +
		" The log file has the details."
}

// messageRules are tried in order; the first that matches gives the
// sentence. More specific errors come first.
var messageRules = []func(error) (string, bool){
	cancelled,
	loginRequired,
	notConfigured,
	parseError,
	rateLimited,
	transferError,
	projectError,
	projectBusy,
	formatError,
	procoreStatus,
	tokenError,
	authorizeError,
	networkError,
	fileError,
}

func cancelled(err error) (string, bool) {
	if errors.Is(err, context.Canceled) {
		return "The operation was cancelled.", true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "The operation took too long and was stopped. Check the network " +
			"connection and try again.", true
	}

	return "", false
}

func loginRequired(err error) (string, bool) {
	if errors.Is(err, auth.ErrLoginRequired) || errors.Is(err, procore.ErrUnauthorized) {
		return "You are not logged in to Procore, or your login has ended. Log in " +
			"(File › Services › Procore, or backsight procore login) and try again.", true
	}

	return "", false
}

func notConfigured(err error) (string, bool) {
	if errors.Is(err, ErrNotConfigured) {
		return "Backsight has no Procore client ID. Register the app in Procore's " +
			"developer portal and set procore.client_id (and procore.client_secret) " +
			"in the configuration file or the BACKSIGHT_PROCORE_CLIENT_ID variable.", true
	}

	return "", false
}

func parseError(err error) (string, bool) {
	pe, where, what, ok := ParseProblem(err)
	if !ok {
		return "", false
	}

	return fmt.Sprintf("%s cannot be read%s: %s. Nothing was imported; check the "+
		"format and import settings, or fix the file.", pe.File, where, what), true
}

// ParseProblem finds the survey.ParseError in err and says where in the file
// it is (" (line 12)", " (CgPoint)" or "") and what is wrong, redacted and
// without a final full stop, for a sentence of the caller's.
func ParseProblem(err error) (pe *survey.ParseError, where, what string, ok bool) {
	if !errors.As(err, &pe) {
		return nil, "", "", false
	}

	switch {
	case pe.Line > 0:
		where = fmt.Sprintf(" (line %d)", pe.Line)
	case pe.Element != "":
		where = fmt.Sprintf(" (%s)", pe.Element)
	}

	what = pe.Msg
	if what == "" && pe.Err != nil {
		what = pe.Err.Error()
	}

	return pe, where, strings.TrimSuffix(redact.String(what), "."), true
}

func rateLimited(err error) (string, bool) {
	var rl *procore.RateLimitError
	if errors.As(err, &rl) {
		wait := rl.RetryAfter.Round(time.Second)
		if wait < time.Second {
			wait = time.Second
		}

		return fmt.Sprintf("Procore is limiting the number of requests. Wait %s and "+
			"try again.", wait), true
	}
	if errors.Is(err, procore.ErrRateLimited) {
		return "Procore is limiting the number of requests. Wait a minute and try again.", true
	}

	return "", false
}

func transferError(err error) (string, bool) {
	var fe *transfer.FolderExistsError
	switch {
	case errors.As(err, &fe):
		return "A folder named " + fe.Name + " already exists in that Procore folder, " +
			"and Procore cannot merge folders. Rename the local folder, choose another " +
			"target folder, or upload the files one by one (each becomes a new version).", true
	case errors.Is(err, transfer.ErrFolderExists):
		return "A folder of that name already exists in that Procore folder, and Procore " +
			"cannot merge folders. Rename the folder or choose another target folder.", true
	case errors.Is(err, transfer.ErrEmptyFile):
		return "The file is empty, and Procore does not take empty files.", true
	case errors.Is(err, transfer.ErrNotRegular):
		return "Only files and folders can be uploaded.", true
	case errors.Is(err, transfer.ErrNoURL):
		return "Procore gave no download link for that file version. Refresh and try " +
			"again.", true
	}

	return "", false
}

func projectError(err error) (string, bool) {
	switch {
	case errors.Is(err, project.ErrExists):
		return "That folder already holds a project. Open it instead, or choose another " +
			"folder.", true
	case errors.Is(err, project.ErrNotProject):
		return "That folder is not a Backsight project. Create one there first " +
			"(File › New Project, or backsight project new).", true
	case errors.Is(err, project.ErrNothingToImport):
		return "Nothing was imported: the file holds no points, lines or surfaces that " +
			"Backsight could read (" + strings.TrimSuffix(sentence(err), ".") + "). Check " +
			"the format and import settings.", true
	case errors.Is(err, project.ErrOlderVersion):
		return "The project already holds a newer version of this Procore file, so the " +
			"older one was not imported.", true
	}

	return "", false
}

// projectBusy: another Backsight (a window, a command) holds the project
// database's write lock.
func projectBusy(err error) (string, bool) {
	const busy, locked = 5, 6 // SQLite's primary result codes SQLITE_BUSY and SQLITE_LOCKED

	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false
	}
	if c := se.Code() & 0xff; c != busy && c != locked {
		return "", false
	}

	return "The project is in use: another Backsight window or command is changing it. " +
		"Wait until it has finished, then try again.", true
}

func formatError(err error) (string, bool) {
	var (
		nothing  *project.NothingToExportError
		template *csv.TemplateError
	)
	switch {
	case errors.As(err, &template):
		return fmt.Sprintf("The column order %q is not valid: %s. Give one such as PNEZD "+
			"or PENZD (P point id, N, E, Z, D description, - a column to skip).",
			template.Template, template.Reason), true
	case errors.As(err, &nothing):
		return "There is nothing to export: " + nothing.Sentence(), true
	case errors.Is(err, project.ErrNothingToExport):
		return "There is nothing to export: the selection holds no points, lines or " +
			"surfaces. Choose other sources or codes.", true
	case errors.Is(err, formats.ErrUnknownFormat):
		return "Backsight does not know that format. Choose csv, landxml, dxf, gsi or " +
			"geojson.", true
	case errors.Is(err, formats.ErrNotWritable):
		return "Backsight cannot write that format. Choose csv, landxml, dxf, gsi or " +
			"geojson.", true
	case errors.Is(err, formats.ErrAttachment):
		return "That file is not survey data (it is a document, image or drawing), so " +
			"it cannot be read as points.", true
	}

	return "", false
}

func procoreStatus(err error) (string, bool) {
	switch {
	case errors.Is(err, procore.ErrNameTaken):
		return "A folder or file of that name already exists in that Procore folder. " +
			"Choose another name or another folder.", true
	case errors.Is(err, procore.ErrCheckedOut):
		return "The file is checked out in Procore by someone else. Ask them to check " +
			"it in, then try again.", true
	case errors.Is(err, procore.ErrNotFound):
		return "Procore did not find that company, project, folder or file, or you " +
			"cannot see it. Check the IDs and path, then try again.", true
	case errors.Is(err, procore.ErrForbidden):
		return "Your Procore account is not allowed to do this in that project. Ask " +
			"the project's administrator for access to the Documents tool.", true
	}

	var er *procore.ErrorResponse
	if errors.As(err, &er) && er.StatusCode >= 500 {
		return "Procore had a problem and could not answer. Try again in a few " +
			"minutes.", true
	}

	return "", false
}

func tokenError(err error) (string, bool) {
	var te *auth.TokenError
	if !errors.As(err, &te) {
		return "", false
	}
	if te.Code == "invalid_client" || te.Code == "unauthorized_client" {
		return "Procore did not accept Backsight's client ID or secret. Check " +
			"procore.client_id and procore.client_secret for this environment.", true
	}
	if te.Rejected() {
		return "Procore did not accept the login. Log in again.", true
	}

	return "Procore's login service did not answer properly. Try again in a few " +
		"minutes.", true
}

func authorizeError(err error) (string, bool) {
	var ae *auth.AuthorizeError
	if !errors.As(err, &ae) {
		return "", false
	}
	if ae.Code == "access_denied" {
		return "The login was declined in the browser. Log in again and allow " +
			"Backsight access.", true
	}

	return "Procore refused the login (" + ae.Code + "). Log in again.", true
}

func networkError(err error) (string, bool) {
	host := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
	}

	var (
		dnsErr *net.DNSError
		opErr  *net.OpError
		netErr net.Error
	)
	// The Procore client keeps the transport error but drops the *url.Error
	// (its URL may hold a signed query); the dialled address names the host.
	if host == "" && errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Addr != nil {
		host = opErr.Addr.String()
	}
	switch {
	case errors.Is(err, auth.ErrPortInUse) || errors.Is(err, syscall.EADDRINUSE):
		addr := "its port"
		if errors.As(err, &opErr) && opErr.Addr != nil {
			addr = opErr.Addr.String()
		}
		return "The login waits for Procore's answer on " + addr + " of this computer, " +
			"and another program is using it. Close that program, or set " +
			"procore.redirect_port to a free port and register the matching redirect " +
			"URI with Procore.", true
	case errors.As(err, &dnsErr):
		return "Backsight could not find " + orHost(dnsErr.Name, host) + " on the " +
			"network. Check the internet connection and the Procore environment.", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Nothing answered at " + orHost(host, "the Procore address") +
			". Check the Procore environment and its URLs (is the sandbox running?).", true
	case errors.As(err, &netErr) && netErr.Timeout():
		return "Procore did not answer in time. Check the network connection and " +
			"try again.", true
	case errors.As(err, &opErr), ue != nil:
		return "The connection to " + orHost(host, "Procore") + " failed. Check the " +
			"network connection and try again.", true
	}

	return "", false
}

func orHost(a, b string) string {
	if a != "" {
		return a
	}

	return b
}

func fileError(err error) (string, bool) {
	var pe *os.PathError
	if !errors.As(err, &pe) {
		return "", false
	}

	switch {
	case errors.Is(err, os.ErrNotExist):
		return pe.Path + " does not exist. Check the name and folder.", true
	case errors.Is(err, os.ErrPermission):
		return "Backsight is not allowed to use " + pe.Path + ". Check its " +
			"permissions.", true
	case errors.Is(err, syscall.ENOSPC):
		return "The disk is full while writing " + pe.Path + ". Free some space and " +
			"try again.", true
	case errors.Is(err, syscall.EISDIR):
		return pe.Path + " is a folder, and a file is needed there. Choose a file, or " +
			"give the name of a file inside that folder.", true
	case errors.Is(err, syscall.ENOTDIR):
		return "A file is in the way of the folder " + pe.Path + ": part of that path " +
			"is a file, not a folder. Choose another folder.", true
	case errors.Is(err, syscall.EROFS):
		return "Backsight cannot write to " + pe.Path + ": it is on a read-only disk. " +
			"Choose another folder.", true
	}

	return "", false
}

// sentence turns an error's text into the end of a sentence.
func sentence(err error) string {
	s := redact.String(err.Error())
	if s == "" {
		return "unknown error."
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		s += "."
	}

	return s
}
