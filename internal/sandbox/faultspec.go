package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseFaultRule reads a rule written as comma-separated key=value pairs, as
// the --fault flag takes it. Keys: endpoint (a route pattern or api, download,
// storage_put, storage_post), file, nth, p, count, status, retry_after
// (seconds or a duration), no_retry_after, drop (bytes), lose_response,
// latency, expire_token, expire_upload, s3_code (the status then answers an
// S3-style XML error with that code, e.g. status=400,s3_code=RequestTimeout).
// Example: "endpoint=download,file=90211003,
// nth=3,drop=1000000" breaks the 3rd download of that file at byte 1,000,000.
func ParseFaultRule(spec string) (FaultRule, error) {
	var r FaultRule
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		if err := r.set(k, v); err != nil {
			return r, fmt.Errorf("sandbox: fault %q: %s: %w", spec, k, err)
		}
	}

	return r, nil
}

func (r *FaultRule) set(k, v string) error {
	var err error
	switch k {
	case "endpoint":
		r.Endpoint = v
	case "file":
		r.FileID, err = strconv.ParseInt(v, 10, 64)
	case "nth":
		r.Nth, err = strconv.Atoi(v)
	case "p":
		r.Probability, err = strconv.ParseFloat(v, 64)
	case "count":
		r.Count, err = strconv.Atoi(v)
	case "status":
		r.Status, err = strconv.Atoi(v)
	case "retry_after":
		r.RetryAfter, err = parseSeconds(v)
	case "no_retry_after":
		r.NoRetryAfter = true
	case "drop":
		r.Drop = true
		r.DropAfter, err = strconv.ParseInt(v, 10, 64)
	case "latency":
		r.Latency, err = parseSeconds(v)
	case "lose_response":
		r.LoseResponse = true
	case "expire_token":
		r.ExpireToken = true
	case "expire_upload":
		r.ExpireUpload = true
	case "s3_code":
		r.S3Code = v
	case "":
	default:
		err = fmt.Errorf("unknown key")
	}

	return err
}

func parseSeconds(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Second, nil
	}

	return time.ParseDuration(v)
}
