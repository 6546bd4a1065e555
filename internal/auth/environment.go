package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/backsight/backsight/internal/redact"
)

// Environment names accepted by [ResolveEnvironment].
const (
	EnvProduction = "production"
	EnvSandbox    = "sandbox"
	EnvMonthly    = "monthly"
	EnvCustom     = "custom"
)

// Environment is one Procore environment: a login host that serves /oauth/*
// and an API host that serves /rest/*. Tokens and client credentials belong
// to exactly one environment.
type Environment struct {
	// Name is "production", "sandbox", "monthly" or "custom".
	Name string
	// LoginURL is the base URL of the login host, without a trailing slash.
	LoginURL string
	// APIURL is the base URL of the API host, without a trailing slash.
	APIURL string
}

// Built-in Procore environments.
var (
	// Production is Procore's production environment.
	Production = Environment{
		Name:     EnvProduction,
		LoginURL: "https://login.procore.com",
		APIURL:   "https://api.procore.com",
	}
	// DeveloperSandbox is Procore's developer sandbox; it needs the sandbox
	// client ID and secret, not the production ones.
	DeveloperSandbox = Environment{
		Name:     EnvSandbox,
		LoginURL: "https://login-sandbox.procore.com",
		APIURL:   "https://sandbox.procore.com",
	}
	// MonthlySandbox is Procore's monthly sandbox; it takes the production
	// client ID and secret.
	MonthlySandbox = Environment{
		Name:     EnvMonthly,
		LoginURL: "https://login-sandbox-monthly.procore.com",
		APIURL:   "https://api-monthly.procore.com",
	}
)

// ErrUnknownEnvironment is returned by [ResolveEnvironment] for a name that is
// not one of the Env constants.
var ErrUnknownEnvironment = errors.New("auth: unknown environment")

// ResolveEnvironment returns the environment called name. For "custom" the
// login and API base URLs are required and validated; for the built-in
// environments they are ignored.
func ResolveEnvironment(name, loginURL, apiURL string) (Environment, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case EnvProduction:
		return Production, nil
	case EnvSandbox:
		return DeveloperSandbox, nil
	case EnvMonthly:
		return MonthlySandbox, nil
	case EnvCustom:
		return CustomEnvironment(loginURL, apiURL)
	}

	return Environment{}, fmt.Errorf("%w %q (want production, sandbox, monthly or custom)",
		ErrUnknownEnvironment, name)
}

// CustomEnvironment returns a validated environment named "custom" with the
// given base URLs, for example a local Procore sandbox.
func CustomEnvironment(loginURL, apiURL string) (Environment, error) {
	env := Environment{
		Name:     EnvCustom,
		LoginURL: strings.TrimRight(strings.TrimSpace(loginURL), "/"),
		APIURL:   strings.TrimRight(strings.TrimSpace(apiURL), "/"),
	}
	if err := env.Validate(); err != nil {
		return Environment{}, err
	}

	return env, nil
}

// Validate checks that both base URLs are absolute HTTPS URLs, or plain HTTP
// on a loopback host (127.0.0.0/8, ::1 or localhost), with no user
// information, query or fragment.
func (e Environment) Validate() error {
	if e.Name == "" {
		return errors.New("auth: environment has no name")
	}
	if err := validateBaseURL(e.LoginURL); err != nil {
		return fmt.Errorf("auth: login URL: %w", err)
	}
	if err := validateBaseURL(e.APIURL); err != nil {
		return fmt.Errorf("auth: API URL: %w", err)
	}

	return nil
}

// key is the part of a store key that names the environment. Custom
// environments include the login host, so two local sandboxes on different
// ports do not share tokens.
func (e Environment) key() string {
	if e.Name != EnvCustom {
		return e.Name
	}

	u, err := url.Parse(e.LoginURL)
	if err != nil || u.Host == "" {
		return e.Name
	}

	return e.Name + "@" + u.Host
}

func (e Environment) loginEndpoint(path string) string {
	return strings.TrimRight(e.LoginURL, "/") + path
}

func (e Environment) apiEndpoint(path string) string {
	return strings.TrimRight(e.APIURL, "/") + path
}

func validateBaseURL(raw string) error {
	if raw == "" {
		return errors.New("empty")
	}

	u, err := url.Parse(raw)
	if err != nil {
		// The URL is left out: it does not parse, so a password in it
		// cannot be masked (and url.Error's own text repeats it).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}

		return fmt.Errorf("not a URL: %w", err)
	}

	// The URL goes into error messages: never with a password in it.
	raw = redact.URLValue(u)
	if u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not have user information, a query or a fragment", raw)
	}

	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}

		return fmt.Errorf("%q must use https (plain http only on a loopback host)", raw)
	}

	return fmt.Errorf("%q: scheme must be https", raw)
}

// isLoopbackHost reports whether host is localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}

	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}
