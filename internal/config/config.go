// Package config reads Backsight's settings once at start: a YAML file in the
// user's config directory, BACKSIGHT_* environment variables and command-line
// flags, in that order of precedence (a flag beats the environment, which
// beats the file, which beats the defaults). The result is one typed [Config]
// passed on as plain values; nothing outside this package and cmd/ imports
// viper.
//
// Secrets (the client secret) are read from the file or the environment only,
// never from a flag.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/backsight/backsight/internal/samplefiles/sampledir"
)

// EnvPrefix is the prefix of the environment variables Backsight reads.
const EnvPrefix = "BACKSIGHT"

// EnvConfigFile names the variable that points at another configuration file.
const EnvConfigFile = "BACKSIGHT_CONFIG"

// ErrUnknownVariable is wrapped by the error for a BACKSIGHT_ environment
// variable that names no setting (a typing mistake, or an old name).
var ErrUnknownVariable = errors.New("unknown environment variable")

// otherVars are BACKSIGHT_ variables that are not settings: the
// configuration file's own, and the sample folder of the demo and tests.
var otherVars = map[string]bool{EnvConfigFile: true, sampledir.EnvDir: true}

// Environments Backsight knows. Custom takes its URLs from the configuration.
const (
	EnvProduction = "production"
	EnvSandbox    = "sandbox"
	EnvMonthly    = "monthly"
	EnvCustom     = "custom"
)

// DefaultRedirectPort is the loopback port of the OAuth redirect listener.
// The redirect URI registered with Procore must use the same port.
const DefaultRedirectPort = 8719

// Config is the whole configuration.
type Config struct {
	Procore  Procore  `mapstructure:"procore"`
	Log      Log      `mapstructure:"log"`
	Transfer Transfer `mapstructure:"transfer"`
	// Debug adds readable console logging at debug level.
	Debug bool `mapstructure:"debug"`
}

// Procore says which Procore to talk to and as which app.
type Procore struct {
	// Environment is production, sandbox, monthly or custom.
	Environment string `mapstructure:"environment"`
	// LoginURL and APIURL are used by the custom environment.
	LoginURL string `mapstructure:"login_url"`
	APIURL   string `mapstructure:"api_url"`
	// ClientID and ClientSecret identify the app registered in Procore's
	// developer portal.
	ClientID     string `mapstructure:"client_id"`
	ClientSecret string `mapstructure:"client_secret"`
	// RedirectPort is the port of the login redirect listener, on the
	// loopback addresses (127.0.0.1 and ::1) that localhost names.
	RedirectPort int `mapstructure:"redirect_port"`
	// CompanyID and ProjectID are the defaults for commands that need them.
	CompanyID int64 `mapstructure:"company_id"`
	ProjectID int64 `mapstructure:"project_id"`
}

// Log configures the log file.
type Log struct {
	// Dir is where the rotated JSON log files go.
	Dir string `mapstructure:"dir"`
	// Level is debug, info, warn or error.
	Level string `mapstructure:"level"`
	// MaxSizeMB is the size at which a log file is rotated.
	MaxSizeMB int `mapstructure:"max_size_mb"`
	// MaxBackups is how many rotated files are kept.
	MaxBackups int `mapstructure:"max_backups"`
}

// Transfer tunes uploads and downloads.
type Transfer struct {
	// Concurrency is how many transfers (and upload segments) run at once.
	Concurrency int `mapstructure:"concurrency"`
	// SegmentSizeMB is the size of one upload segment (at least 5).
	SegmentSizeMB int `mapstructure:"segment_size_mb"`
}

// Key describes one configuration key for the reference and for validation.
type Key struct {
	Name    string
	Default any
	Help    string
	// Secret keys are never bound to flags.
	Secret bool
}

// Keys lists every key Backsight accepts, in reference order.
func Keys() []Key {
	return []Key{
		{"procore.environment", EnvProduction, "production, sandbox, monthly or custom", false},
		{"procore.login_url", "", "login base URL of the custom environment", false},
		{"procore.api_url", "", "API base URL of the custom environment", false},
		{"procore.client_id", "", "client ID of the app registered with Procore", false},
		{"procore.client_secret", "", "client secret of that app (file or environment only)", true},
		{"procore.redirect_port", DefaultRedirectPort, "port of the login redirect on localhost (127.0.0.1 and ::1)", false},
		{"procore.company_id", int64(0), "default Procore company ID", false},
		{"procore.project_id", int64(0), "default Procore project ID", false},
		{"log.dir", "", "log folder (default: the user cache folder)", false},
		{"log.level", "info", "debug, info, warn or error", false},
		{"log.max_size_mb", 10, "size at which a log file is rotated", false},
		{"log.max_backups", 5, "rotated log files kept", false},
		{"transfer.concurrency", 4, "transfers and upload segments at once", false},
		{"transfer.segment_size_mb", 8, "upload segment size in MiB (at least 5)", false},
		{"debug", false, "readable debug output on the console", false},
	}
}

// Dir returns Backsight's folder in the user's config directory.
func Dir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}

	return filepath.Join(base, "backsight"), nil
}

// DefaultFile returns the path of the configuration file.
func DefaultFile() (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}

	return filepath.Join(dir, "config.yaml"), nil
}

// Options tells [Load] where to look.
type Options struct {
	// File is the YAML file; empty means $BACKSIGHT_CONFIG or [DefaultFile].
	// A missing file is not an error.
	File string
	// Environ is the environment as KEY=VALUE pairs; nil means os.Environ().
	Environ []string
	// Flags maps configuration keys to the command-line flags that set them.
	// Only flags the user changed take effect.
	Flags map[string]*pflag.Flag
}

// Load reads the file, the environment and the flags once and returns the
// validated configuration. An unknown key or an invalid value is an error
// that names the key.
func Load(opts Options) (Config, error) {
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}

	v := viper.New()
	for _, k := range Keys() {
		v.SetDefault(k.Name, k.Default)
	}

	if err := readFile(v, opts.File, environ); err != nil {
		return Config{}, err
	}

	if err := bindEnv(v, environ); err != nil {
		return Config{}, err
	}

	if err := bindFlags(v, opts.Flags); err != nil {
		return Config{}, err
	}

	var c Config
	err := v.UnmarshalExact(&c, func(dc *mapstructure.DecoderConfig) {
		dc.WeaklyTypedInput = true
	})
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}

	if err := c.Validate(); err != nil {
		return Config{}, err
	}

	return c, nil
}

func readFile(v *viper.Viper, file string, environ []string) error {
	explicit := file != ""
	if file == "" {
		file = lookup(environ, EnvConfigFile)
		explicit = file != ""
	}
	if file == "" {
		f, err := DefaultFile()
		if err != nil {
			return nil // no config dir: defaults and environment only
		}
		file = f
	}

	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}

	v.SetConfigFile(file)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return fmt.Errorf("config: read %s: %w", file, err)
	}

	return checkUnknown(v.AllKeys(), "key", file)
}

// checkUnknown reports keys that Backsight does not know. Viper lower-cases
// keys, so the comparison is on lower case.
func checkUnknown(keys []string, what, where string) error {
	known := map[string]bool{}
	for _, k := range Keys() {
		known[k.Name] = true
	}

	var unknown []string
	for _, k := range keys {
		if !known[strings.ToLower(k)] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}

	sort.Strings(unknown)

	return fmt.Errorf("config: unknown %s %q in %s", what, strings.Join(unknown, `", "`), where)
}

func bindEnv(v *viper.Viper, environ []string) error {
	prefix := EnvPrefix + "_"
	layer := map[string]any{}
	var unknown []string
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, prefix) || otherVars[name] {
			continue
		}

		key := envToKey(name)
		if key == "" {
			unknown = append(unknown, name)
			continue
		}
		setNested(layer, key, val)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("config: %w %q", ErrUnknownVariable, strings.Join(unknown, `", "`))
	}

	// The environment is merged over the file, so it wins over the file and
	// loses to flags, which viper ranks above both.
	if err := v.MergeConfigMap(layer); err != nil {
		return fmt.Errorf("config: environment: %w", err)
	}

	return nil
}

func setNested(m map[string]any, key string, val any) {
	parts := strings.Split(key, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = val
}

// envToKey maps BACKSIGHT_PROCORE_CLIENT_ID to procore.client_id, or "" when
// no key matches.
func envToKey(name string) string {
	for _, k := range Keys() {
		if EnvName(k.Name) == name {
			return k.Name
		}
	}

	return ""
}

// EnvName returns the environment variable that sets key.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func bindFlags(v *viper.Viper, flags map[string]*pflag.Flag) error {
	secret := map[string]bool{}
	for _, k := range Keys() {
		secret[k.Name] = k.Secret
	}

	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	if err := checkUnknown(keys, "flag key", "flag bindings"); err != nil {
		return err
	}

	for key, f := range flags {
		if f == nil {
			continue
		}
		if secret[key] {
			return fmt.Errorf("config: %s is a secret and cannot be a flag", key)
		}
		if err := v.BindPFlag(key, f); err != nil {
			return fmt.Errorf("config: bind flag %s: %w", f.Name, err)
		}
	}

	return nil
}

func lookup(environ []string, name string) string {
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			return val
		}
	}

	return ""
}

// Validate checks every value and names the key of the first bad one.
func (c Config) Validate() error {
	p := c.Procore
	switch p.Environment {
	case EnvProduction, EnvSandbox, EnvMonthly:
	case EnvCustom:
		if p.LoginURL == "" || p.APIURL == "" {
			return errors.New("config: procore.environment custom needs " +
				"procore.login_url and procore.api_url")
		}
	default:
		return fmt.Errorf("config: procore.environment: %q is not production, sandbox, "+
			"monthly or custom", p.Environment)
	}

	for key, raw := range map[string]string{"procore.login_url": p.LoginURL, "procore.api_url": p.APIURL} {
		if raw == "" {
			continue
		}
		if err := checkBaseURL(raw); err != nil {
			return fmt.Errorf("config: %s: %w", key, err)
		}
	}

	if p.RedirectPort < 0 || p.RedirectPort > 65535 {
		return fmt.Errorf("config: procore.redirect_port: %d is not a port number", p.RedirectPort)
	}
	if p.CompanyID < 0 {
		return fmt.Errorf("config: procore.company_id: %d is negative", p.CompanyID)
	}
	if p.ProjectID < 0 {
		return fmt.Errorf("config: procore.project_id: %d is negative", p.ProjectID)
	}

	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log.level: %q is not debug, info, warn or error", c.Log.Level)
	}
	if c.Log.MaxSizeMB < 1 {
		return fmt.Errorf("config: log.max_size_mb: %d is less than 1", c.Log.MaxSizeMB)
	}
	if c.Log.MaxBackups < 0 {
		return fmt.Errorf("config: log.max_backups: %d is negative", c.Log.MaxBackups)
	}

	if c.Transfer.Concurrency < 1 || c.Transfer.Concurrency > 32 {
		return fmt.Errorf("config: transfer.concurrency: %d is not between 1 and 32",
			c.Transfer.Concurrency)
	}
	if c.Transfer.SegmentSizeMB < 5 || c.Transfer.SegmentSizeMB > 5120 {
		return fmt.Errorf("config: transfer.segment_size_mb: %d is not between 5 and 5120",
			c.Transfer.SegmentSizeMB)
	}

	return nil
}

// checkBaseURL accepts an absolute http(s) URL, and plain http only on a
// loopback host.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}

	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q must use https (plain http is only for 127.0.0.1 or localhost)", raw)
	default:
		return fmt.Errorf("%q must be an https URL", raw)
	}
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}
